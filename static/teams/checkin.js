// Scans a person's QR code in the check-in page with the browser's own QR reader
// (BarcodeDetector, no library to ship). Where the browser has none, the scanner stays
// hidden: the typed code and the phone's camera app (the QR code is a link to this page)
// always work.
(function () {
  "use strict";
  var root = document.querySelector("[data-checkin-scanner]");
  var form = document.querySelector("[data-checkin-form]");
  if (!root || !form || !("BarcodeDetector" in window) || !navigator.mediaDevices) {
    return;
  }
  var video = root.querySelector("[data-scan-video]");
  var status = root.querySelector("[data-scan-status]");
  var input = form.querySelector("input[name=code]");
  var template = document.querySelector("[data-scan-messages]");

  function say(key) {
    var node = template && template.content.querySelector('[data-msg="' + key + '"]');
    status.textContent = node ? node.textContent : "";
  }

  function codeFrom(text) {
    try {
      return new URL(text).searchParams.get("code") || text;
    } catch (error) {
      return text;
    }
  }

  function start(detector) {
    say("starting");
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        video.play();
        say("aim");
        var stop = function () {
          stream.getTracks().forEach(function (track) { track.stop(); });
        };
        var look = function () {
          detector.detect(video).then(function (codes) {
            if (codes.length) {
              stop();
              input.value = codeFrom(codes[0].rawValue);
              form.submit();
            } else {
              window.setTimeout(look, 250);
            }
          }, function () { window.setTimeout(look, 500); });
        };
        look();
      }, function () { say("denied"); });
  }

  window.BarcodeDetector.getSupportedFormats().then(function (formats) {
    if (formats.indexOf("qr_code") === -1) {
      return;
    }
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    root.hidden = false;
    root.querySelector("[data-scan-start]").addEventListener("click", function () {
      start(detector);
    });
  });
})();
