// Draws the page's Mermaid diagrams offline, with the Mermaid that JupyterLab ships.
//
// JupyterLab's Mermaid comes as chunks of its bundle (see scripts/editions/mermaid.py), so this
// file plays the small part of the bundler's runtime those chunks expect: a module table, a
// require function with the bundler's helper methods, and on-demand chunk loading by <script>
// tag (which, unlike ES modules, also works for pages opened straight from the disk).
// manifest.js, loaded before this file, lists the chunks (window.LAB_MERMAID).
(function () {
  "use strict";
  const manifest = window.LAB_MERMAID;
  const here = document.currentScript.src.replace(/[^/]*$/, "");
  const modules = {};
  const cache = {};
  const chunkArray = (self[manifest.chunkGlobal] = self[manifest.chunkGlobal] || []);

  function require(id) {
    const cached = cache[id];
    if (cached !== undefined) return cached.exports;
    const factory = modules[id];
    if (factory === undefined) throw new Error(`module ${id} is not loaded`);
    const module = (cache[id] = { id: id, loaded: false, exports: {} });
    factory.call(module.exports, module, module.exports, require);
    module.loaded = true;
    return module.exports;
  }

  function install(data) {
    const [, more, runtime] = data;
    for (const id in more) modules[id] = more[id];
    if (runtime) runtime(require);
  }
  chunkArray.forEach(install);
  chunkArray.push = function (data) {
    install(data);
    return chunkArray.length;
  };

  const hasOwn = (object, key) => Object.prototype.hasOwnProperty.call(object, key);
  const proto = (object) => Object.getPrototypeOf(object);
  require.m = modules;
  require.c = cache;
  require.o = hasOwn;
  require.g = globalThis;
  require.p = here;
  require.b = document.baseURI;
  require.d = function (exports, getters) {
    for (const key in getters) {
      if (hasOwn(getters, key) && !hasOwn(exports, key)) {
        Object.defineProperty(exports, key, { enumerable: true, get: getters[key] });
      }
    }
  };
  require.r = function (exports) {
    if (typeof Symbol !== "undefined" && Symbol.toStringTag) {
      Object.defineProperty(exports, Symbol.toStringTag, { value: "Module" });
    }
    Object.defineProperty(exports, "__esModule", { value: true });
  };
  require.n = function (module) {
    const getter = module && module.__esModule ? () => module.default : () => module;
    require.d(getter, { a: getter });
    return getter;
  };
  let leaves;
  require.t = function (value, mode) {
    if (mode & 1) value = this(value);
    if (mode & 8) return value;
    if (typeof value === "object" && value) {
      if (mode & 4 && value.__esModule) return value;
      if (mode & 16 && typeof value.then === "function") return value;
    }
    const namespace = Object.create(null);
    require.r(namespace);
    const definitions = {};
    leaves = leaves || [null, proto({}), proto([]), proto(proto)];
    for (
      let current = mode & 2 && value;
      typeof current === "object" && !leaves.includes(current);
      current = proto(current)
    ) {
      Object.getOwnPropertyNames(current).forEach((key) => {
        definitions[key] = () => value[key];
      });
    }
    definitions.default = () => value;
    require.d(namespace, definitions);
    return namespace;
  };
  require.hmd = function (module) {
    module = Object.create(module);
    if (!module.children) module.children = [];
    Object.defineProperty(module, "exports", {
      enumerable: true,
      set() {
        throw new Error("ES Modules may not assign module.exports or exports.*");
      },
    });
    return module;
  };
  require.nmd = function (module) {
    module.paths = [];
    if (!module.children) module.children = [];
    return module;
  };

  const loading = {};
  function loadScript(file) {
    if (!loading[file]) {
      loading[file] = new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = here + file;
        script.onload = resolve;
        script.onerror = () => reject(new Error(`could not load ${file}`));
        document.head.appendChild(script);
      });
    }
    return loading[file];
  }

  function ensureChunk(chunk) {
    const waits = [];
    const file = manifest.files[chunk];
    if (file) waits.push(loadScript(file));
    for (const [module, fallback, provider] of manifest.consumes[chunk] || []) {
      waits.push(
        Promise.all(fallback.map(ensureChunk)).then(() => {
          modules[module] = (m) => {
            m.exports = require(provider);
          };
        })
      );
    }
    return Promise.all(waits);
  }
  require.e = ensureChunk;

  async function loadMermaid() {
    await Promise.all(manifest.entryChunks.map(ensureChunk));
    return require(manifest.entryModule).default;
  }

  async function drawAll() {
    const blocks = document.querySelectorAll(".jp-Mermaid > pre.mermaid");
    if (!blocks.length) return;
    const mermaid = await loadMermaid();
    mermaid.initialize({
      startOnLoad: false,
      theme: "default",
      fontFamily: getComputedStyle(document.body).getPropertyValue("--jp-ui-font-family"),
    });
    let next = 0;
    for (const block of blocks) {
      const holder = block.parentNode;
      const source = block.textContent.trim();
      try {
        const { svg } = await mermaid.render(`site-mermaid-${next++}`, source);
        const figure = document.createElement("figure");
        figure.className = "site-mermaid";
        figure.innerHTML = svg;
        holder.appendChild(figure);
        holder.classList.add("jp-RenderedMermaid");
      } catch (error) {
        holder.classList.add("jp-RenderedMermaid", "jp-mod-warning");
        const note = document.createElement("p");
        note.textContent = `This diagram could not be drawn (${error}); its source is shown.`;
        holder.insertBefore(note, block);
      }
    }
  }

  window.loadLabMermaid = loadMermaid;
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
