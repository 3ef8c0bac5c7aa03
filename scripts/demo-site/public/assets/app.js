// A tiny single-page app: /app and /app/settings are views switched with history.pushState, so
// the tracker's SPA pageviews (it patches pushState) can be seen on the dashboard.

const VIEWS = {
  '/app': { template: 'view-dashboard', title: 'Dashboard · Acme Flight' },
  '/app/settings': { template: 'view-settings', title: 'Settings · Acme Flight' },
};
const NOT_FOUND = { template: 'view-not-found', title: 'Not found · Acme Flight' };

const outlet = document.getElementById('app-view');

function render() {
  const path = location.pathname.replace(/\/+$/, '') || '/app';
  const view = VIEWS[path] ?? NOT_FOUND;
  const template = document.getElementById(view.template);
  outlet.replaceChildren(template.content.cloneNode(true));
  document.title = view.title;
  for (const link of document.querySelectorAll('a[data-app-link]')) {
    if (link.pathname === path) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const form = document.getElementById('settings-form');
  if (form) {
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      document.getElementById('settings-status').textContent = 'Saved.';
    });
  }
}

document.addEventListener('click', (event) => {
  const link = event.target instanceof Element ? event.target.closest('a[data-app-link]') : null;
  // Let the browser handle new-tab clicks (modifier keys, middle button) as usual.
  if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  if (link.pathname !== location.pathname) {
    history.pushState(null, '', link.pathname);
    render();
  }
});

addEventListener('popstate', render);
render();
