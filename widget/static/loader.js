// <waypost-tracker>: the embed. Loads the widget's WebAssembly once per page, however many
// elements there are, and mounts it in each element's shadow root. Attribute changes re-render.
// The widget speaks English built in; another language's words are fetched (once per page)
// before mounting, so that page never shows English first.
const base = new URL(".", import.meta.url);
const files = { js: "__JS__", wasm: "__WASM__", css: "__CSS__", words: __WORDS__ };
const attributes = ["shop", "lang", "tracking-number", "order-number", "api", "theme"];
let loading;
const words = {};

function loadWidget() {
  loading ??= import(new URL(files.js, base).href).then(async (module) => {
    await module.default({ module_or_path: new URL(files.wasm, base) });
    return module;
  });
  return loading;
}

// A language's word list as JSON text; empty for English, or when it cannot be fetched.
function loadWords(code) {
  const file = files.words[code];
  if (!file) return "";
  words[code] ??= fetch(new URL(file, base)).then((r) => (r.ok ? r.text() : "")).catch(() => "");
  return words[code];
}

// Starts fetching the words the widget will most likely pick while its wasm loads; the wasm's
// `language()` decides, and a wrong guess costs one small request.
function prefetchWords(languages) {
  for (const tag of languages.split(",")) {
    const code = tag.trim().split(/[-_]/)[0].toLowerCase();
    if (code === "en" || files.words[code]) return loadWords(code);
  }
}

class WaypostTracker extends HTMLElement {
  static observedAttributes = attributes;
  #mounted = null;
  #version = 0;

  connectedCallback() { this.#render(); }
  attributeChangedCallback() { if (this.isConnected) this.#render(); }
  disconnectedCallback() { this.#mounted?.free(); this.#mounted = null; }

  async #render() {
    const version = ++this.#version;
    const languages = [this.getAttribute("lang"), document.documentElement.lang, ...navigator.languages]
      .filter(Boolean).join(",");
    prefetchWords(languages);
    const module = await loadWidget();
    const text = await loadWords(module.language(languages));
    if (version !== this.#version || !this.isConnected) return;
    const root = this.shadowRoot ?? this.attachShadow({ mode: "open" });
    this.#mounted?.free();
    const style = document.createElement("link");
    style.rel = "stylesheet";
    style.href = new URL(files.css, base).href;
    const theme = this.getAttribute("theme") ?? "auto";
    const container = document.createElement("div");
    container.className = `wp-theme wp-${["light", "dark"].includes(theme) ? theme : "auto"}`;
    root.replaceChildren(style, container);
    const page = new URLSearchParams(location.search);
    this.#mounted = new module.Tracker(
      container,
      this.getAttribute("shop") ?? "",
      languages,
      text,
      this.getAttribute("tracking-number") ?? page.get("tracking") ?? "",
      this.getAttribute("order-number") ?? "",
      this.getAttribute("api") ?? base.origin,
    );
  }
}

if (!customElements.get("waypost-tracker")) customElements.define("waypost-tracker", WaypostTracker);
