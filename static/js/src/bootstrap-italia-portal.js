// The Bootstrap Italia components the portal's pages use, bundled by esbuild from the library's per-component ES
// modules (npm run build:js writes static/js/bootstrap-italia-portal.min.js; a test checks it is up to date). Instead
// of the 1 MB bundle (carousel, video player, autocomplete, ... none of them used here).
import "../../../node_modules/bootstrap-italia/dist/plugins/init.js"; // focus outline only for keyboard users
import "../../../node_modules/bootstrap-italia/dist/plugins/navbar-collapsible.js"; // the mobile menu
import "../../../node_modules/bootstrap-italia/dist/plugins/navscroll.js"; // the lab page's index
import "../../../node_modules/bootstrap-italia/dist/plugins/back-to-top.js";
import "../../../node_modules/bootstrap-italia/dist/plugins/input.js"; // form labels that move above a filled field
