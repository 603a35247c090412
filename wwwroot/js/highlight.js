// Highlights the code blocks of a lesson with highlight.js. Only GanLab.Web.Interop.CodeHighlighter
// calls this. Markdig writes ```python as <pre><code class="language-python">; highlight.js's
// prebuilt bundle (a classic script setting window.hljs) and its theme are loaded once, on first
// use, from wwwroot/lib next to this module: pages without code never download them.

let highlightLoaded;

function loadHighlight() {
  highlightLoaded ??= new Promise((resolve, reject) => {
    if (window.hljs) return resolve(window.hljs);
    const theme = document.createElement('link');
    theme.rel = 'stylesheet';
    theme.href = new URL('../lib/highlight/github.min.css', import.meta.url).href;
    document.head.appendChild(theme);
    const script = document.createElement('script');
    script.src = new URL('../lib/highlight/highlight.min.js', import.meta.url).href;
    script.onload = () => resolve(window.hljs);
    script.onerror = () => {
      highlightLoaded = undefined;
      reject(new Error('highlight.js is missing: run the setup script to fill wwwroot/lib/highlight.'));
    };
    document.head.appendChild(script);
  });
  return highlightLoaded;
}

export async function highlight(root) {
  if (!root) return;
  const pending = root.querySelectorAll('pre > code[class*="language-"]:not([data-highlighted])');
  if (pending.length === 0) return;
  const hljs = await loadHighlight();
  for (const element of pending) {
    const language = /language-(\S+)/.exec(element.className)?.[1];
    if (language && hljs.getLanguage(language)) {
      hljs.highlightElement(element);
    } else {
      // A language the bundle lacks stays plain text; marked so later passes skip it.
      element.setAttribute('data-highlighted', 'none');
    }
  }
}
