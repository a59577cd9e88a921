// <waypost-tracker>: the embed. Loads the widget's WebAssembly once per page, however many
// elements there are, and mounts it in each element's shadow root. Attribute changes re-render.
const base = new URL(".", import.meta.url);
const files = { js: "assets/waypost-widget.8ba753a12a.js", wasm: "assets/waypost-widget.f64facae44.wasm", css: "assets/waypost-widget.f5b44b5380.css" };
const attributes = ["shop", "lang", "tracking-number", "order-number", "api", "theme"];
let loading;

function loadWidget() {
  loading ??= import(new URL(files.js, base).href).then(async (module) => {
    await module.default({ module_or_path: new URL(files.wasm, base) });
    return module;
  });
  return loading;
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
    const module = await loadWidget();
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
    const languages = [this.getAttribute("lang"), document.documentElement.lang, ...navigator.languages]
      .filter(Boolean).join(",");
    this.#mounted = new module.Tracker(
      container,
      this.getAttribute("shop") ?? "",
      languages,
      this.getAttribute("tracking-number") ?? page.get("tracking") ?? "",
      this.getAttribute("order-number") ?? "",
      this.getAttribute("api") ?? base.origin,
    );
  }
}

if (!customElements.get("waypost-tracker")) customElements.define("waypost-tracker", WaypostTracker);
