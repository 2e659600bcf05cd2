// Loaded before the Bootstrap Italia bundle. video.js (inside the bundle) injects <style> elements at load time, which a
// Content-Security-Policy without 'unsafe-inline' blocks; its own switch turns that off (the CSS file has the styles).
window.VIDEOJS_NO_DYNAMIC_STYLE = true;
