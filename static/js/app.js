// The pages' JavaScript: GOV.UK Frontend's components (the service navigation's menu
// button, error summaries, character counts...). A file, not an inline script, so that
// the Content-Security-Policy allows scripts from this site only.
import { initAll } from "../build/govuk-frontend.min.js";

initAll();
