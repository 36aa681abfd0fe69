// The bilateral dashboard: plain JavaScript over the JSON API, no build step.
// The page state (reporter, partner, year, source) lives in the URL, so a view can be shared.
"use strict";

const state = { reporter: null, partner: null, year: null, source: "" };
let countries = [];
let request = 0; // the newest view request; older answers are dropped

const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------- formatting
function isMissing(value) {
  return value === null || value === undefined || (typeof value === "number" && isNaN(value));
}

function formatMoney(value) {
  // As bilateral.formats.format_money: $26.97 bn, -$8.79 bn, $412.3 m, $12,345.
  const magnitude = Math.abs(value);
  const sign = value < 0 ? "-" : "";
  const fixed = (number, digits) =>
    number.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  if (magnitude >= 1e9) return sign + "$" + fixed(magnitude / 1e9, 2) + " bn";
  if (magnitude >= 1e6) return sign + "$" + fixed(magnitude / 1e6, 1) + " m";
  return sign + "$" + fixed(magnitude, 0);
}

// As bilateral.formats: one spelling for an unknown figure and one for a rank.
const NOT_AVAILABLE = "n/a";

function ordinal(number) {
  // As bilateral.formats.ordinal: 1st, 2nd, 3rd, 11th, 22nd.
  const n = Math.trunc(Number(number));
  const tens = n % 100;
  const suffix = tens >= 10 && tens <= 20 ? "th" : ({ 1: "st", 2: "nd", 3: "rd" }[n % 10] || "th");
  return n + suffix;
}

function formatCell(value, kind) {
  if (isMissing(value)) return NOT_AVAILABLE;
  switch (kind) {
    case "money": return formatMoney(Number(value));
    case "percent":
      return Number(value).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + "%";
    case "rank": return ordinal(value);
    case "yesno": return value ? "yes" : "no";
    default: return String(value);
  }
}

function element(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function table(rows, columns, className) {
  const numeric = new Set(["money", "percent", "rank", "number"]);
  const head = element("tr", {}, ...columns.map((c) =>
    element("th", { class: numeric.has(c.kind) ? "num" : null }, c.heading)));
  const body = rows.map((row) => element("tr", {}, ...columns.map((c) =>
    element("td", { class: numeric.has(c.kind) ? "num" : null, dataset: { key: c.key } },
      formatCell(row[c.key], c.kind)))));
  return element("table", { class: className || null },
    element("thead", {}, head), element("tbody", {}, ...body));
}

// ---------------------------------------------------------------- API
async function api(path, options) {
  const response = await fetch(path, options);
  let body = null;
  try { body = await response.json(); } catch (error) { body = null; }
  if (!response.ok) {
    const detail = body && body.detail ? body.detail : response.status + " " + response.statusText;
    throw new Error(detail);
  }
  return body;
}

function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== "") search.set(key, value);
  }
  return search.toString();
}

function setStatus(text, isError) {
  const status = $("status");
  status.textContent = text;
  status.classList.toggle("error", Boolean(isError));
}

// ---------------------------------------------------------------- type-ahead
function fold(text) {
  // Case, accents and ё do not matter, as in bilateral.reference.countries.normalise_name.
  return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/ё/g, "е")
    .replace(/Ё/g, "Е").toLowerCase().trim();
}

function matches(text, limit) {
  const wanted = fold(text);
  if (!wanted) return [];
  const starts = [], contains = [];
  for (const country of countries) {
    const names = [country.name_en, country.name_ru].filter(Boolean).map(fold);
    if (country.code.toLowerCase() === wanted || names.some((n) => n.startsWith(wanted))) starts.push(country);
    else if (names.some((n) => n.includes(wanted))) contains.push(country);
  }
  return starts.concat(contains).slice(0, limit);
}

function countryLabel(country) {
  return country.name_en;
}

function typeahead(role) {
  const input = $(role + "-input");
  const list = $(role + "-options");
  let options = [];
  let active = -1;

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    active = -1;
  }

  function highlight(index) {
    active = index;
    [...list.children].forEach((item, i) => item.setAttribute("aria-selected", String(i === index)));
    if (list.children[index]) list.children[index].scrollIntoView({ block: "nearest" });
  }

  function choose(country) {
    input.value = countryLabel(country);
    input.dataset.code = country.code;
    close();
    state[role] = country.code;
    onCountriesChanged();
  }

  function open() {
    options = matches(input.value, 12);
    list.replaceChildren(...options.map((country, index) => {
      const item = element("li", { role: "option", id: role + "-option-" + index,
                                   dataset: { code: country.code }, "aria-selected": "false" },
        element("span", { class: "en" }, country.name_en),
        element("span", { class: "ru" }, country.name_ru || ""),
        element("span", { class: "code" }, country.code));
      item.addEventListener("mousedown", (event) => { event.preventDefault(); choose(country); });
      return item;
    }));
    list.hidden = options.length === 0;
    input.setAttribute("aria-expanded", String(options.length > 0));
    highlight(options.length ? 0 : -1);
  }

  input.addEventListener("input", () => { delete input.dataset.code; open(); });
  input.addEventListener("focus", () => { if (input.value && !input.dataset.code) open(); });
  input.addEventListener("blur", () => setTimeout(close, 100));
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && options.length) {
      event.preventDefault();
      if (list.hidden) open(); else highlight(Math.min(active + 1, options.length - 1));
    } else if (event.key === "ArrowUp" && options.length) {
      event.preventDefault();
      highlight(Math.max(active - 1, 0));
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (!list.hidden && options[active]) choose(options[active]);
    } else if (event.key === "Escape") {
      close();
    }
  });
  return {
    set(code) {
      const country = countries.find((c) => c.code === code);
      if (!country) return false;
      input.value = countryLabel(country);
      input.dataset.code = country.code;
      state[role] = country.code;
      return true;
    },
  };
}

// ---------------------------------------------------------------- URL state
function writeUrl() {
  const search = query({ reporter: state.reporter, partner: state.partner, year: state.year,
                         source: state.source });
  const url = search ? "/?" + search : "/";
  if (url !== location.pathname + location.search) history.replaceState(null, "", url);
}

function readUrl() {
  const params = new URLSearchParams(location.search);
  return {
    reporter: (params.get("reporter") || "").toUpperCase(),
    partner: (params.get("partner") || "").toUpperCase(),
    year: params.get("year") ? Number(params.get("year")) : null,
    source: params.get("source") || "",
  };
}

// ---------------------------------------------------------------- loading
async function onCountriesChanged(wanted) {
  writeUrl();
  if (!state.reporter || !state.partner) {
    setStatus("Choose two countries.");
    return;
  }
  if (state.reporter === state.partner) {
    setStatus("Choose two different countries.", true);
    return;
  }
  setStatus("Looking up the years the store holds…");
  let series;
  try {
    series = await api("/api/series?" + query({ reporter: state.reporter, partner: state.partner }));
  } catch (error) {
    setStatus(error.message, true);
    return;
  }
  const years = [...new Set(series.map((row) => row.year))].sort((a, b) => b - a);
  const sources = [...new Set(series.map((row) => row.source))].sort();
  const yearSelect = $("year-select");
  const sourceSelect = $("source-select");
  yearSelect.replaceChildren(...years.map((y) => element("option", { value: y }, y)));
  sourceSelect.replaceChildren(element("option", { value: "" }, "All sources"),
    ...sources.map((s) => element("option", { value: s }, s)));
  yearSelect.disabled = years.length === 0;
  sourceSelect.disabled = sources.length === 0;
  if (!years.length) {
    $("view").hidden = true;
    setStatus("No source in the store has figures for this pair.", true);
    writeUrl();
    return;
  }
  const year = wanted && years.includes(wanted.year) ? wanted.year
    : years.includes(state.year) ? state.year : years[0];
  state.year = year;
  yearSelect.value = String(year);
  const source = wanted && sources.includes(wanted.source) ? wanted.source
    : sources.includes(state.source) ? state.source : "";
  state.source = source;
  sourceSelect.value = source;
  await loadView();
}

async function loadView() {
  writeUrl();
  const mine = ++request;
  setStatus("Loading…");
  let view;
  try {
    view = await api("/api/view?" + query({ reporter: state.reporter, partner: state.partner,
                                            year: state.year, source: state.source }));
  } catch (error) {
    if (mine === request) { setStatus(error.message, true); $("view").hidden = true; }
    return;
  }
  if (mine !== request) return;
  renderView(view);
  setStatus("");
}

function headlineCard(row, columns) {
  const byKey = Object.fromEntries(columns.map((c) => [c.key, c]));
  const entries = [];
  for (const column of columns) {
    if (column.key === "view" || isMissing(row[column.key])) continue;
    entries.push(element("dt", {}, column.heading));
    entries.push(element("dd", {
      class: column.key === "turnover" ? "main" : null,
      dataset: { indicator: column.key, source: row.source, statisticsOf: row.statistics_of,
                 value: String(row[column.key]) },
    }, formatCell(row[column.key], byKey[column.key].kind)));
  }
  return element("article", { class: "card", dataset: { source: row.source, statisticsOf: row.statistics_of } },
    element("h4", {}, row.source + " (statistics of " + row.statistics_of + ")"),
    element("dl", {}, ...entries));
}

function renderView(view) {
  $("view").hidden = false;
  $("view-title").textContent = view.title + (view.source ? " - " + view.source : "");
  $("headline-cards").replaceChildren(...view.headline.map((row) => headlineCard(row, view.headline_columns)));
  $("not-available").replaceChildren(...view.not_available.map((note) => element("li", {}, note)));
  const holder = $("sections");
  holder.replaceChildren();
  for (const section of view.sections) {
    const node = element("section", { id: "section-" + section.kind, class: "section" },
      element("h3", {}, section.title));
    if (section.missing) node.append(element("p", { class: "missing" }, section.missing));
    if (section.spec) {
      const chart = element("div", { class: "chart", id: "chart-" + section.kind });
      node.append(chart);
      vegaEmbed(chart, section.spec, { actions: false, renderer: "svg" })
        .catch((error) => { chart.textContent = "This chart could not be drawn: " + error.message; });
    }
    if (section.rows && section.rows.length) node.append(table(section.rows, section.columns));
    if (section.note) node.append(element("p", { class: "note" }, section.note));
    holder.append(node);
  }
  $("report-link").href = "/api/report.html?" + query({ reporter: state.reporter, partner: state.partner,
                                                        year: state.year, source: state.source });
}

// ---------------------------------------------------------------- claims
// As bilateral.report.tables.format_figure / format_stated / format_evidence.
function formatNumber(value, digits) {
  if (digits === null || digits === undefined) {
    return value.toLocaleString("en-US", { maximumFractionDigits: 6 });
  }
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function withUnit(body, unit) {
  if (unit === "%") return body + "%";
  return (body + " " + unit).trim();
}

function formatFigure(value, unit, digits) {
  unit = unit || "";
  if (Array.isArray(value)) {
    if (!value.length || value.some(isMissing)) return NOT_AVAILABLE;
    if (unit === "rank") return value.map(ordinal).join("-");
    return withUnit(value.map((v) => formatNumber(Number(v), digits)).join("-"), unit);
  }
  if (isMissing(value)) return NOT_AVAILABLE;
  if (typeof value !== "number") return String(value);
  if (unit === "USD") return formatMoney(value);
  if (unit.startsWith("vs ")) {
    const fixed = formatNumber(Math.abs(value), 1);
    return (value < 0 ? "-" : "+") + fixed + "% " + unit;
  }
  if (unit === "rank") return ordinal(value);
  return withUnit(formatNumber(value, digits), unit);
}

function formatStated(stated) {
  const figure = isMissing(stated.value) ? "" : formatFigure(stated.value, stated.unit);
  const hedge = String(stated.hedge || "");
  return ["", "exact", "range"].includes(hedge) ? figure : (hedge + " " + figure).trim();
}

function formatEvidence(item, unit) {
  const figure = formatFigure(item.value, unit, 2);
  const where = ["source", "reported_by", "year"].map((k) => item[k]).filter(Boolean).join(", ");
  return where ? figure + " (" + where + ")" : figure;
}

function renderClaims(result) {
  const claims = result.claims || [];
  const counts = {};
  // The API's verdicts are tokens (not_checkable); people read words (not checkable).
  const words = (verdict) => String(verdict || "").split("_").join(" ");
  for (const claim of claims) counts[words(claim.verdict)] = (counts[words(claim.verdict)] || 0) + 1;
  const summary = Object.entries(counts).sort((a, b) => b[1] - a[1]).map(([v, n]) => n + " " + v).join(", ");
  const rows = claims.map((claim) => {
    const stated = claim.stated || {};
    const statedText = formatStated(stated);
    const verdictClass = "verdict verdict-" + words(claim.verdict).toLowerCase().split(/\s+/).join("-");
    const evidence = (claim.evidence || []).map((item) => formatEvidence(item, stated.unit));
    const evidenceCell = element("td", {});
    evidence.forEach((line, i) => { if (i) evidenceCell.append(element("br")); evidenceCell.append(line); });
    return element("tr", { class: "claim", dataset: { verdict: claim.verdict || "" } },
      element("td", {}, claim.text || ""),
      element("td", {}, element("span", { class: verdictClass }, words(claim.verdict))),
      element("td", {}, statedText),
      evidenceCell,
      element("td", {}, claim.explanation || ""));
  });
  const head = element("tr", {}, ...["Claim", "Verdict", "Stated", "Evidence", "Why"].map((h) => element("th", {}, h)));
  $("check-results").replaceChildren(
    element("p", { id: "check-summary" }, claims.length + " quantitative claims" + (summary ? ": " + summary : "") + "."),
    element("table", { class: "claims" }, element("thead", {}, head), element("tbody", {}, ...rows)));
}

async function checkText() {
  const button = $("check-button");
  const status = $("check-status");
  const text = $("check-text").value;
  if (!text.trim()) {
    status.textContent = "Paste a text first.";
    status.classList.add("error");
    return;
  }
  button.disabled = true;
  status.textContent = "Checking…";
  status.classList.remove("error");
  try {
    const result = await api("/api/check", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ text }),
    });
    renderClaims(result);
    status.textContent = "";
  } catch (error) {
    status.textContent = error.message;
    status.classList.add("error");
  } finally {
    button.disabled = false;
  }
}

// ---------------------------------------------------------------- start
async function start() {
  $("controls").addEventListener("submit", (event) => event.preventDefault());
  $("check-button").addEventListener("click", checkText);
  $("year-select").addEventListener("change", (event) => { state.year = Number(event.target.value); loadView(); });
  $("source-select").addEventListener("change", (event) => { state.source = event.target.value; loadView(); });
  try {
    countries = await api("/api/countries");
  } catch (error) {
    setStatus("Could not load the country list: " + error.message, true);
    return;
  }
  const pickers = { reporter: typeahead("reporter"), partner: typeahead("partner") };
  const wanted = readUrl();
  const known = pickers.reporter.set(wanted.reporter) & pickers.partner.set(wanted.partner);
  if (known) {
    state.year = wanted.year;
    state.source = wanted.source;
    await onCountriesChanged(wanted);
  }
  document.body.dataset.ready = "true";
}

start();
