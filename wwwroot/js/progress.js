// Which lessons this browser has opened and completed, kept in its localStorage. Only
// GanLab.Web.Lessons.LessonProgress calls this. Progress belongs to the student's browser: it needs
// no account or cookie, survives server restarts, and the server stores nothing about it.

const storageKey = 'ganlab.progress.v1';

function load() {
  try {
    const progress = JSON.parse(localStorage.getItem(storageKey) ?? '{}');
    return progress && typeof progress === 'object' && !Array.isArray(progress) ? progress : {};
  } catch {
    // Unreadable (edited by hand, or storage disabled): start afresh rather than break the page.
    return {};
  }
}

function save(progress) {
  try {
    localStorage.setItem(storageKey, JSON.stringify(progress));
  } catch {
    // Private browsing or a full quota: progress is a convenience, the lesson still works.
  }
  return progress;
}

// slug → { opened: ISO time or null, completed: ISO time or null }
export function read() {
  return load();
}

export function markOpened(slug) {
  const progress = load();
  const entry = progress[slug] ?? {};
  if (!entry.opened) progress[slug] = { ...entry, opened: new Date().toISOString() };
  return save(progress);
}

export function setCompleted(slug, completed) {
  const progress = load();
  const entry = progress[slug] ?? {};
  const now = new Date().toISOString();
  progress[slug] = { ...entry, opened: entry.opened ?? now, completed: completed ? (entry.completed ?? now) : null };
  return save(progress);
}
