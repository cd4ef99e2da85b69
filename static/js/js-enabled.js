// Loaded at the top of <body>, before anything is drawn: GOV.UK Frontend styles some
// components differently once it knows JavaScript runs and the browser supports it.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
