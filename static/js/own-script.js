// A module has no document.currentScript: ownScript(import.meta.url) finds the <script>
// element that loaded it, for the data-* attributes the template put there.
export function ownScript(moduleUrl) {
  return Array.prototype.filter.call(document.scripts, function (el) {
    return el.src === moduleUrl;
  })[0] || null;
}
