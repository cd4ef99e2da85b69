// While a board pack is being made, check its page every few seconds and show the
// new progress in place (an aria-live region), without reloading the page. Without
// JavaScript the page offers a "Check again" link instead.
const status = document.querySelector("[data-board-pack-status]");

async function refresh() {
  const response = await fetch(window.location.href, { headers: { Accept: "text/html" } });
  if (!response.ok) return false;
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  const fresh = page.querySelector("[data-board-pack-status]");
  if (!fresh) return false;
  status.innerHTML = fresh.innerHTML;
  status.dataset.boardPackStatus = fresh.dataset.boardPackStatus;
  return fresh.dataset.boardPackStatus === "ready" || fresh.dataset.boardPackStatus === "failed";
}

if (status && !["ready", "failed"].includes(status.dataset.boardPackStatus)) {
  const timer = window.setInterval(async () => {
    try {
      if (await refresh()) window.clearInterval(timer);
    } catch {
      window.clearInterval(timer);
    }
  }, 3000);
}
