/* The check-in page at the door (templates/admin/registrations/checkin.html): reads the QR code of a confirmed
   email with the phone's camera and submits it to the page's own form, which checks the person in on the server.
   Decoding: the browser's BarcodeDetector where it has one (Android), otherwise the barcode-detector ponyfill
   (npm, served from /static/vendor/barcode-detector/) with its ZXing WebAssembly decoder from
   /static/vendor/zxing-wasm/ (locateFile: never the CDN the library defaults to). No inline script: the CSP
   allows 'self' and, on this page only, 'wasm-unsafe-eval'. */
(function () {
  "use strict";

  var root = document.getElementById("scanner");
  if (!root) {
    return;
  }
  var video = root.querySelector("video");
  var startButton = document.getElementById("scanner-start");
  var stopButton = document.getElementById("scanner-stop");
  var status = document.getElementById("scanner-status");
  var form = document.getElementById("scan-form");
  var input = document.getElementById("scan-code");
  var stream = null;
  var timer = null;
  var busy = false;

  function say(text) {
    status.textContent = text;
  }

  function detector() {
    if ("BarcodeDetector" in window) {
      return new window.BarcodeDetector({ formats: ["qr_code"] });
    }
    var api = window.BarcodeDetectionAPI;
    var wasmUrl = root.getAttribute("data-wasm-url");
    api.prepareZXingModule({
      overrides: {
        locateFile: function (path, prefix) {
          return path.slice(-5) === ".wasm" ? wasmUrl : prefix + path;
        },
      },
    });
    return new api.BarcodeDetector({ formats: ["qr_code"] });
  }

  function stop() {
    if (timer) {
      window.clearInterval(timer);
      timer = null;
    }
    if (stream) {
      stream.getTracks().forEach(function (track) {
        track.stop();
      });
      stream = null;
    }
    video.srcObject = null;
    startButton.hidden = false;
    stopButton.hidden = true;
  }

  // The code just registered stays in front of the camera for a moment after the page reloads: ignore it until
  // another code has been read (the message above already says what happened to that person).
  var LAST = "checkin-last-code";

  function lastCode() {
    try {
      return window.sessionStorage.getItem(LAST);
    } catch (error) {
      return null;
    }
  }

  function found(value) {
    if (value === lastCode()) {
      say(root.getAttribute("data-same"));
      return;
    }
    try {
      window.sessionStorage.setItem(LAST, value);
    } catch (error) {
      /* private mode: no memory, at worst the same person is reported "già presente" again */
    }
    stop();
    say(root.getAttribute("data-found"));
    input.value = value;
    form.submit();
  }

  function start() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      say(root.getAttribute("data-unsupported"));
      return;
    }
    var reader;
    try {
      reader = detector();
    } catch (error) {
      say(root.getAttribute("data-unsupported"));
      return;
    }
    say(root.getAttribute("data-starting"));
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        return video.play();
      })
      .then(function () {
        startButton.hidden = true;
        stopButton.hidden = false;
        say(root.getAttribute("data-ready"));
        timer = window.setInterval(function () {
          if (busy || video.readyState < 2) {
            return;
          }
          busy = true;
          reader
            .detect(video)
            .then(function (codes) {
              busy = false;
              if (codes.length && codes[0].rawValue) {
                found(codes[0].rawValue);
              }
            })
            .catch(function () {
              busy = false;
            });
        }, 250);
      })
      .catch(function () {
        stop();
        say(root.getAttribute("data-denied"));
      });
  }

  startButton.addEventListener("click", start);
  stopButton.addEventListener("click", function () {
    stop();
    say("");
  });
  root.hidden = false;
  if (root.getAttribute("data-autostart") === "1") {
    start();
  }
})();
