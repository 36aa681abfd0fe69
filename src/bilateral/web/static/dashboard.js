// The bilateral dashboard: plain JavaScript over the JSON API, no build step.
// The page state (tab, countries, year or years, flow, source, currency...) lives in the URL,
// so reloading or sharing the URL opens the same tab with the same inputs.
"use strict";

const TABS = ["profile", "series", "partners", "products"];
const CURRENCIES = ["USD", "EUR"];
const LEVELS = ["section", "chapter", "heading", "hs6"];
// Each tab's flows, the first being its default (products: "" is both flows).
const FLOWS = {
  profile: [],
  series: [["turnover", "Turnover"], ["exports", "Exports"], ["imports", "Imports"], ["balance", "Balance"]],
  partners: [["turnover", "Turnover"], ["exports", "Exports"], ["imports", "Imports"]],
  products: [["", "Exports and imports"], ["exports", "Exports"], ["imports", "Imports"]],
};
const DEFAULT_TOP = "20";
const DEFAULT_LEVEL = "chapter";

const state = {
  tab: "profile", reporter: null, partner: null, year: null, source: "", currency: "USD",
  flow: "", from: null, to: null, top: DEFAULT_TOP, level: DEFAULT_LEVEL,
};
let countries = [];
let request = 0; // the newest request for a tab's figures; older answers are dropped
let choicesFor = null; // whose years and sources the selects hold (a pair, or the store)

const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------- formatting
function isMissing(value) {
  return value === null || value === undefined || (typeof value === "number" && isNaN(value));
}

function formatMoney(value, currency) {
  // As bilateral.formats.format_money: $26.97 bn, -$8.79 bn, $412.3 m, $12,345, EUR 21.60 bn.
  const magnitude = Math.abs(value);
  const sign = (value < 0 ? "-" : "") + (!currency || currency === "USD" ? "$" : currency + " ");
  const fixed = (number, digits) =>
    number.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  if (magnitude >= 1e9) return sign + fixed(magnitude / 1e9, 2) + " bn";
  if (magnitude >= 1e6) return sign + fixed(magnitude / 1e6, 1) + " m";
  return sign + fixed(magnitude, 0);
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

function formatChange(value, unit, digits) {
  // As bilateral.formats.format_change: +9.5%, -3.8%.
  if (isMissing(value)) return NOT_AVAILABLE;
  const fixed = Math.abs(value).toLocaleString("en-US",
    { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return (value < 0 ? "-" : "+") + fixed + unit;
}

function formatCell(value, kind, currency) {
  if (isMissing(value)) return NOT_AVAILABLE;
  switch (kind) {
    case "money": return formatMoney(Number(value), currency);
    case "change": return formatChange(Number(value), "%", 1);
    case "places": return Number(value) === 0 ? "=" : formatChange(Number(value), "", 0);
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

const NUMERIC = new Set(["money", "percent", "rank", "number", "change", "places"]);

function table(rows, columns, className, currency, decorate) {
  // decorate(row, tr, td, column) may add attributes; money is printed in currency.
  const head = element("tr", {}, ...columns.map((c) =>
    element("th", { class: NUMERIC.has(c.kind) ? "num" : null }, c.heading)));
  const body = rows.map((row) => {
    const tr = element("tr", {});
    for (const c of columns) {
      const td = element("td", { class: NUMERIC.has(c.kind) ? "num" : null, dataset: { key: c.key } },
        formatCell(row[c.key], c.kind, currency));
      if (decorate) decorate(row, tr, td, c);
      tr.append(td);
    }
    return tr;
  });
  return element("div", { class: "table-scroll" }, element("table", { class: className || null },
    element("thead", {}, head), element("tbody", {}, ...body)));
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
function flowsOf(tab) {
  return FLOWS[tab].map(([value]) => value);
}

function validFlow(tab, flow) {
  const flows = flowsOf(tab);
  return flows.includes(flow) ? flow : (flows[0] || "");
}

function urlParams() {
  // Defaults are left out, so the profile of a pair reads /?reporter=KAZ&partner=RUS&year=2022.
  const tab = state.tab;
  const params = { tab: tab === "profile" ? null : tab, reporter: state.reporter, partner: state.partner };
  if (tab !== "series") params.year = state.year;
  if (tab === "series") Object.assign(params, { from: state.from, to: state.to });
  if (tab !== "profile" && state.flow !== flowsOf(tab)[0]) params.flow = state.flow;
  if (tab === "products" && state.level !== DEFAULT_LEVEL) params.level = state.level;
  if ((tab === "partners" || tab === "products") && state.top !== DEFAULT_TOP) params.top = state.top || "all";
  params.source = state.source;
  params.currency = state.currency === "USD" ? null : state.currency;
  return params;
}

function writeUrl() {
  const search = query(urlParams());
  const url = search ? "/?" + search : "/";
  if (url !== location.pathname + location.search) history.replaceState(null, "", url);
}

function readUrl() {
  const params = new URLSearchParams(location.search);
  const tab = TABS.includes(params.get("tab")) ? params.get("tab") : "profile";
  const year = (name) => (/^\d{4}$/.test(params.get(name) || "") ? Number(params.get(name)) : null);
  const top = params.get("top");
  return {
    tab,
    reporter: (params.get("reporter") || "").toUpperCase(),
    partner: (params.get("partner") || "").toUpperCase(),
    year: year("year"),
    from: year("from"),
    to: year("to"),
    source: params.get("source") || "",
    currency: CURRENCIES.includes(params.get("currency")) ? params.get("currency") : "USD",
    flow: validFlow(tab, params.get("flow") || ""),
    level: LEVELS.includes(params.get("level")) ? params.get("level") : DEFAULT_LEVEL,
    top: top === "all" ? "" : (/^\d+$/.test(top || "") ? top : DEFAULT_TOP),
  };
}

// ---------------------------------------------------------------- tabs and inputs
function showTab() {
  for (const button of document.querySelectorAll("#tabs [role=tab]")) {
    const selected = button.dataset.tab === state.tab;
    button.setAttribute("aria-selected", String(selected));
    button.tabIndex = selected ? 0 : -1;
  }
  for (const field of document.querySelectorAll("#controls [data-tabs]")) {
    field.hidden = !field.dataset.tabs.split(" ").includes(state.tab);
  }
  $("partner-input").placeholder = state.tab === "partners"
    ? "optional: the partner to mark" : "Russia, Россия, RUS";
  const flowSelect = $("flow-select");
  flowSelect.replaceChildren(...FLOWS[state.tab].map(([value, label]) =>
    element("option", { value }, label)));
  flowSelect.value = state.flow;
  $("level-select").value = state.level;
  $("top-select").value = state.top;
  $("currency-select").value = state.currency;
  $("view").hidden = true;
  for (const tab of TABS.slice(1)) $("panel-" + tab).hidden = true;
}

function chooseTab(tab) {
  if (tab === state.tab) return;
  state.tab = tab;
  state.flow = validFlow(tab, state.flow);
  showTab();
  onCountriesChanged();
}

function fillYears(select, years, blank) {
  const options = years.map((y) => element("option", { value: y }, y));
  select.replaceChildren(...(blank ? [element("option", { value: "" }, blank)] : []), ...options);
  select.disabled = years.length === 0;
}

// ---------------------------------------------------------------- loading
function needsPartner() {
  return state.tab !== "partners";
}

async function choices() {
  // The years and sources to choose from: the pair's, or (partners) every one in the store.
  if (needsPartner()) {
    const series = await api("/api/series?" + query({ reporter: state.reporter, partner: state.partner }));
    return { years: [...new Set(series.map((row) => row.year))], sources: [...new Set(series.map((row) => row.source))] };
  }
  const held = await api("/api/sources");
  return { years: [...new Set(held.flatMap((s) => s.years))], sources: held.map((s) => s.source) };
}

async function onCountriesChanged(wanted) {
  writeUrl();
  if (!state.reporter || (needsPartner() && !state.partner)) {
    setStatus(needsPartner() ? "Choose two countries." : "Choose a country.");
    return;
  }
  if (state.reporter === state.partner) {
    setStatus("Choose two different countries.", true);
    return;
  }
  const key = needsPartner() ? state.reporter + "-" + state.partner : "store";
  if (key !== choicesFor) {
    setStatus("Looking up the years the store holds…");
    let held;
    try {
      held = await choices();
    } catch (error) {
      setStatus(error.message, true);
      return;
    }
    const years = held.years.sort((a, b) => b - a);
    const sources = held.sources.sort();
    fillYears($("year-select"), years);
    fillYears($("from-select"), [...years].reverse(), "first year");
    fillYears($("to-select"), years, "latest year");
    const sourceSelect = $("source-select");
    sourceSelect.replaceChildren(element("option", { value: "" }, "All sources"),
      ...sources.map((s) => element("option", { value: s }, s)));
    sourceSelect.disabled = sources.length === 0;
    if (!years.length) {
      choicesFor = null;
      setStatus("No source in the store has figures for this pair.", true);
      writeUrl();
      return;
    }
    choicesFor = key;
    const year = wanted && years.includes(wanted.year) ? wanted.year
      : years.includes(state.year) ? state.year : years[0];
    state.year = year;
    const source = wanted && sources.includes(wanted.source) ? wanted.source
      : sources.includes(state.source) ? state.source : "";
    state.source = source;
    state.from = years.includes(state.from) ? state.from : null;
    state.to = years.includes(state.to) ? state.to : null;
  }
  $("year-select").value = String(state.year);
  $("from-select").value = state.from ? String(state.from) : "";
  $("to-select").value = state.to ? String(state.to) : "";
  $("source-select").value = state.source;
  await loadTab();
}

async function loadTab() {
  writeUrl();
  const loaders = { profile: loadView, series: loadSeries, partners: loadPartners, products: loadProducts };
  await loaders[state.tab]();
}

async function fetchFor(path, params) {
  // The tab's answer, or null when a newer request overtook it or it failed (said in the status).
  const mine = ++request;
  setStatus("Loading…");
  const url = path + "?" + query(params);
  try {
    const answer = await api(url);
    if (mine !== request) return null;
    return { answer, url };
  } catch (error) {
    if (mine === request) {
      setStatus(error.message, true);
      $("view").hidden = true;
      for (const tab of TABS.slice(1)) $("panel-" + tab).hidden = true;
    }
    return null;
  }
}

async function loadView() {
  const got = await fetchFor("/api/view", { reporter: state.reporter, partner: state.partner,
    year: state.year, source: state.source, currency: state.currency });
  if (!got) return;
  renderView(got.answer);
  $("view").dataset.shown = got.url;
  setStatus("");
}

function headlineCard(row, columns, currency) {
  const byKey = Object.fromEntries(columns.map((c) => [c.key, c]));
  const entries = [];
  for (const column of columns) {
    if (column.key === "view" || isMissing(row[column.key])) continue;
    entries.push(element("dt", {}, column.heading));
    entries.push(element("dd", {
      class: column.key === "turnover" ? "main" : null,
      dataset: { indicator: column.key, source: row.source, statisticsOf: row.statistics_of,
                 value: String(row[column.key]) },
    }, formatCell(row[column.key], byKey[column.key].kind, currency)));
  }
  return element("article", { class: "card", dataset: { source: row.source, statisticsOf: row.statistics_of } },
    element("h4", {}, row.source + " (statistics of " + row.statistics_of + ")"),
    element("dl", {}, ...entries));
}

function renderView(view) {
  const currency = view.currency || "USD";
  $("view").hidden = false;
  $("view-title").textContent = view.title + (view.source ? " - " + view.source : "");
  $("headline-title").textContent = "Headline figures per source, money in " + currency;
  $("headline-cards").replaceChildren(...view.headline.map((row) =>
    headlineCard(row, view.headline_columns, currency)));
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
      draw(chart, section.spec);
    }
    if (section.rows && section.rows.length) node.append(table(section.rows, section.columns, null, currency));
    if (section.note) node.append(element("p", { class: "note" }, section.note));
    holder.append(node);
  }
  $("report-link").href = "/api/report.html?" + query({ reporter: state.reporter, partner: state.partner,
    year: state.year, source: state.source, currency: state.currency === "USD" ? null : state.currency });
}

function draw(holder, spec) {
  vegaEmbed(holder, spec, { actions: false, renderer: "svg" })
    .catch((error) => { holder.textContent = "This chart could not be drawn: " + error.message; });
}

function countryName(code) {
  const country = countries.find((c) => c.code === code);
  return country ? country.name_en : code;
}

function viewLabel(row) {
  return row.source + " (" + (row.statistics_of === "reconciled" ? "reconciled" : "statistics of " + row.statistics_of) + ")";
}

function groupBy(rows, key) {
  const groups = new Map();
  for (const row of rows) {
    const k = key(row);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(row);
  }
  return groups;
}

function showPanel(tab, title, notes, shown) {
  const panel = $("panel-" + tab);
  panel.hidden = false;
  panel.querySelector(".panel-title").textContent = title;
  panel.querySelector(".notes").replaceChildren(...[...new Set(notes)].map((n) => element("li", {}, n)));
  panel.dataset.shown = shown;
  setStatus("");
  return panel;
}

// ---------------------------------------------------------------- series
const SIDES = { own: 0, mirror: 1, reconciled: 2 };

async function loadSeries() {
  const flow = state.flow || "turnover";
  const got = await fetchFor("/api/series", { reporter: state.reporter, partner: state.partner,
    flow, from: state.from, to: state.to, source: state.source, currency: state.currency });
  if (!got) return;
  const rows = got.answer;
  const currency = state.currency;
  const title = countryName(state.reporter) + " and " + countryName(state.partner) + ": " + flow +
    " by year, money in " + currency;
  const views = [...groupBy(rows, (r) => r.source + "|" + r.statistics_of).values()]
    .sort((a, b) => (SIDES[a[0].side] ?? 3) - (SIDES[b[0].side] ?? 3) || a[0].source.localeCompare(b[0].source));
  const years = [...new Set(rows.map((r) => r.year))].sort((a, b) => a - b);
  const notes = [];
  // Two header rows: each view over its columns, then what each column holds.
  const top = [element("th", { rowspan: 2 }, "Year")];
  const head = [];
  for (const view of views) {
    const columns = [element("th", { class: "num" }, "Value, " + currency)];
    // A growth, or a balance's change in money, in the publisher's currency (named in the cell).
    columns.push(element("th", { class: "num" }, flow === "balance" ? "Change" : "Growth"));
    if (view[0].side !== "own") columns.push(element("th", { class: "num" }, "Gap to own"));
    top.push(element("th", { colspan: columns.length, class: "view" }, viewLabel(view[0])));
    head.push(...columns);
  }
  const body = years.map((year) => {
    const cells = [element("td", {}, year)];
    for (const view of views) {
      const row = view.find((r) => r.year === year) || {};
      const where = { source: view[0].source, statisticsOf: view[0].statistics_of, year: String(year) };
      cells.push(element("td", { class: "num", dataset: { ...where, key: "value",
        value: isMissing(row.value_usd) ? "" : String(row.value_usd) } },
        formatCell(row.value_usd, "money", currency)));
      cells.push(element("td", { class: "num", dataset: { ...where, key: "growth" } }, movement(row, flow, currency)));
      if (view[0].side !== "own") {
        cells.push(element("td", { class: "num", title: row.gap_reason || null, dataset: { ...where, key: "gap" } },
          formatCell(row.gap_pct, "change")));
        if (row.gap_reason) notes.push(viewLabel(row) + " against the reporter's own statistics: " + row.gap_reason);
      }
    }
    return element("tr", {}, ...cells);
  });
  const panel = showPanel("series", title, notes, got.url);
  panel.querySelector(".table-wrap").replaceChildren(element("div", { class: "table-scroll" },
    element("table", { class: "series" },
      element("thead", {}, element("tr", {}, ...top), element("tr", {}, ...head)),
      element("tbody", {}, ...body))));
  const holder = $("chart-series-tab");
  if (!rows.some((r) => !isMissing(r.value_usd))) {
    holder.replaceChildren(element("p", { class: "missing" }, "No figures for this pair in these years."));
    return;
  }
  draw(holder, seriesSpec(rows, flow, currency));
}

// A year's growth with its currency where that is not the table's ("-0.7% (EUR)"), or a
// balance's change in money in the currency it is stated in.
function movement(row, flow, currency) {
  if (flow === "balance") {
    const money = formatCell(row.change, "money", row.change_currency || currency);
    return !isMissing(row.change) && row.change > 0 ? "+" + money : money;
  }
  const cell = formatCell(row.growth_pct, "change");
  return row.growth_currency && row.growth_currency !== currency && cell !== NOT_AVAILABLE
    ? cell + " (" + row.growth_currency + ")" : cell;
}

function seriesSpec(rows, flow, currency) {
  const values = rows.filter((r) => !isMissing(r.value_usd))
    .map((r) => ({ year: r.year, view: viewLabel(r), billions: r.value_usd / 1e9 }));
  const money = currency + " bn";
  return {
    width: 720, height: 280,
    data: { values },
    mark: { type: "line", point: true },
    encoding: {
      x: { field: "year", type: "quantitative", title: "Year", scale: { zero: false, nice: false },
           axis: { format: "d", tickMinStep: 1, labelAngle: 0, labelOverlap: "greedy", labelSeparation: 6 } },
      y: { field: "billions", type: "quantitative", title: money },
      color: { field: "view", type: "nominal", title: "Source" },
      tooltip: [
        { field: "year", type: "ordinal", title: "Year" },
        { field: "view", type: "nominal", title: "Source" },
        { field: "billions", type: "quantitative", title: money, format: ",.3f" },
      ],
    },
    title: flow[0].toUpperCase() + flow.slice(1) + ", " + money,
  };
}

// ---------------------------------------------------------------- partners
async function loadPartners() {
  const flow = state.flow || "turnover";
  const got = await fetchFor("/api/partners", { reporter: state.reporter, year: state.year, flow,
    top: state.top, source: state.source, currency: state.currency });
  if (!got) return;
  const currency = state.currency;
  const title = countryName(state.reporter) + "'s partners in " + state.year + ", by " + flow +
    ", money in " + currency;
  const columns = [
    { key: "rank", heading: "Rank", kind: "rank" },
    { key: "partner_name", heading: "Partner", kind: "text" },
    { key: "value_usd", heading: flow[0].toUpperCase() + flow.slice(1) + ", " + currency, kind: "money" },
    { key: "share", heading: "Share of " + state.reporter + "'s " + flow, kind: "percent" },
    { key: "growth_pct", heading: "Growth on " + (state.year - 1), kind: "change" },
    { key: "rank_change", heading: "Places up", kind: "places" },
  ];
  const mark = (row, tr, td, column) => {
    if (row.partner === state.partner) tr.classList.add("chosen");
    tr.dataset.partner = row.partner;
    if (column.key === "value_usd") Object.assign(td.dataset, { source: row.source,
      statisticsOf: row.statistics_of, partner: row.partner, value: isMissing(row.value_usd) ? "" : String(row.value_usd) });
  };
  const parts = [];
  const notes = [];
  for (const rows of groupBy(got.answer, (r) => r.source + "|" + r.statistics_of).values()) {
    const ranked = rows.filter((r) => r.kind === "country");
    const apart = rows.filter((r) => r.kind !== "country");
    parts.push(element("h3", {}, viewLabel(rows[0])));
    if (ranked.length) parts.push(table(ranked, columns, "partners", currency, mark));
    if (apart.length) {
      parts.push(element("h4", {}, "Aggregates (never ranked among countries)"));
      parts.push(table(apart, columns.filter((c) => !["rank", "rank_change"].includes(c.key)),
        "aggregates", currency, mark));
    }
    for (const row of rows) if (row.note) notes.push(viewLabel(row) + ": " + row.note);
  }
  const panel = showPanel("partners", title, notes, got.url);
  panel.querySelector(".table-wrap").replaceChildren(...parts);
}

// ---------------------------------------------------------------- products
async function loadProducts() {
  const got = await fetchFor("/api/products", { reporter: state.reporter, partner: state.partner,
    year: state.year, level: state.level, flow: state.flow, top: state.top, source: state.source,
    currency: state.currency });
  if (!got) return;
  const answer = got.answer;
  const currency = answer.currency;
  const a = countryName(state.reporter), b = countryName(state.partner);
  const title = "What " + a + " trades with " + b + " in " + state.year + ", by " +
    $("level-select").selectedOptions[0].textContent + ", money in " + currency;
  const parts = [];
  const notes = [...answer.notes];
  for (const rows of groupBy(answer.rows, (r) => r.source + "|" + r.statistics_of + "|" + r.flow).values()) {
    const first = rows[0];
    const flow = first.flow === "exports" ? a + "'s exports to " + b : a + "'s imports from " + b;
    const columns = [
      { key: "rank", heading: "Rank", kind: "rank" },
      { key: "code", heading: "Code", kind: "text" },
      { key: "description", heading: "Products", kind: "text" },
      { key: "value", heading: "Value, " + currency, kind: "money" },
      { key: "share", heading: "Share of the flow", kind: "percent" },
      { key: "partner_share", heading: b + "'s share of " + a + "'s world " + first.flow, kind: "percent" },
    ];
    const mark = (row, tr, td, column) => {
      if (column.key === "value") Object.assign(td.dataset, { source: row.source, statisticsOf: row.statistics_of,
        flow: row.flow, code: row.code, value: String(row.value) });
    };
    parts.push(element("h3", {}, flow + " - " + viewLabel(first)));
    parts.push(table(rows, columns, "products", currency, mark));
    for (const row of rows) if (row.partner_share_note) notes.push(viewLabel(row) + ": " + row.partner_share_note);
  }
  if (!parts.length) parts.push(element("p", { class: "missing" }, "No product-level figures for this pair in " + state.year + "."));
  const panel = showPanel("products", title, notes, got.url);
  panel.querySelector(".table-wrap").replaceChildren(...parts);
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
function onInput(id, apply) {
  $(id).addEventListener("change", (event) => { apply(event.target.value); loadTab(); });
}

async function start() {
  $("controls").addEventListener("submit", (event) => event.preventDefault());
  $("check-button").addEventListener("click", checkText);
  for (const button of document.querySelectorAll("#tabs [role=tab]")) {
    button.addEventListener("click", () => chooseTab(button.dataset.tab));
    button.addEventListener("keydown", (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (!step) return;
      const next = TABS[(TABS.indexOf(state.tab) + step + TABS.length) % TABS.length];
      chooseTab(next);
      $("tab-" + next).focus();
    });
  }
  onInput("year-select", (value) => { state.year = Number(value); });
  onInput("from-select", (value) => { state.from = value ? Number(value) : null; });
  onInput("to-select", (value) => { state.to = value ? Number(value) : null; });
  onInput("source-select", (value) => { state.source = value; });
  onInput("flow-select", (value) => { state.flow = value; });
  onInput("level-select", (value) => { state.level = value; });
  onInput("top-select", (value) => { state.top = value; });
  onInput("currency-select", (value) => { state.currency = value; });
  try {
    countries = await api("/api/countries");
  } catch (error) {
    setStatus("Could not load the country list: " + error.message, true);
    return;
  }
  const wanted = readUrl();
  Object.assign(state, { tab: wanted.tab, year: wanted.year, from: wanted.from, to: wanted.to,
    source: wanted.source, currency: wanted.currency, flow: wanted.flow, level: wanted.level, top: wanted.top });
  showTab();
  const pickers = { reporter: typeahead("reporter"), partner: typeahead("partner") };
  const reporter = pickers.reporter.set(wanted.reporter);
  const partner = pickers.partner.set(wanted.partner);
  if (reporter && (partner || !needsPartner())) await onCountriesChanged(wanted);
  else setStatus(needsPartner() ? "Choose two countries." : "Choose a country.");
  document.body.dataset.ready = "true";
}

start();
