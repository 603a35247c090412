// Typesets lesson math with KaTeX. Only GanLab.Web.Interop.KatexMath calls this.
// Markdig writes inline math as <span class="math">\(...\)</span> and display math as
// <div class="math">\[...\]</div>; KaTeX gets the TeX between the delimiters.

let katexLoaded;

function loadKatex() {
  katexLoaded ??= new Promise((resolve, reject) => {
    if (window.katex) return resolve(window.katex);
    const script = document.createElement('script');
    script.src = new URL('../lib/katex/katex.min.js', import.meta.url).href;
    script.onload = () => resolve(window.katex);
    script.onerror = () => {
      katexLoaded = undefined;
      reject(new Error('KaTeX is missing: run the setup script to fill wwwroot/lib/katex.'));
    };
    document.head.appendChild(script);
  });
  return katexLoaded;
}

function stripDelimiters(tex) {
  const text = tex.trim();
  if ((text.startsWith('\\(') && text.endsWith('\\)')) || (text.startsWith('\\[') && text.endsWith('\\]'))) {
    return text.slice(2, -2).trim();
  }
  return text;
}

export async function typeset(root) {
  if (!root) return;
  const pending = root.querySelectorAll('.math:not([data-typeset])');
  if (pending.length === 0) return;
  const katex = await loadKatex();
  for (const element of pending) {
    const tex = stripDelimiters(element.textContent);
    // throwOnError false: a typo in one formula shows in red in place instead of stopping the rest.
    katex.render(tex, element, { displayMode: element.tagName === 'DIV', throwOnError: false });
    element.setAttribute('data-typeset', '');
  }
}
