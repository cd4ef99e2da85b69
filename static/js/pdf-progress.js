// The "Preparing the PDF" page (templates/actionplans/exports/pdf_progress.html): asks
// the status address every second and, once the PDF is ready, starts the download and
// says so. Without this script the page's "Check again" link does the same by hand.
const box = document.getElementById('pdf-progress')
const status = box && box.querySelector('[data-pdf-status]')

function seconds (n) {
  return `${n} second${n === 1 ? '' : 's'}`
}

function describe (progress) {
  if (progress.state === 'rendering') {
    const tasks = progress.tasks ? ` of ${progress.tasks} key task${progress.tasks === 1 ? '' : 's'}` : ''
    return `Laying out the pages${tasks}: started ${seconds(progress.seconds || 0)} ago.`
  }
  if (progress.state === 'failed') {
    return 'The PDF could not be made. We have been told; check again in a minute to try once more.'
  }
  return 'Waiting for the server to start on it.'
}

function ready () {
  const heading = box.querySelector('h1')
  heading.textContent = 'The PDF is ready'
  document.title = document.title.replace('Preparing the PDF', 'The PDF is ready')
  status.textContent = 'The PDF is ready: its download has started.'
  const link = box.querySelector('[data-check-again]')
  link.textContent = 'Download the PDF'
  link.href = box.dataset.downloadUrl
  link.classList.remove('govuk-button--secondary')
  // An attachment: the browser saves it and this page stays.
  window.location.assign(box.dataset.downloadUrl)
}

async function poll () {
  try {
    const response = await fetch(box.dataset.statusUrl, { headers: { Accept: 'application/json' } })
    if (response.ok) {
      const progress = await response.json()
      if (progress.state === 'ready') {
        ready()
        return
      }
      status.textContent = describe(progress)
    }
  } catch (error) {
    // A network blip: try again at the next tick.
  }
  window.setTimeout(poll, 1000)
}

if (box && status && box.querySelector('[data-check-again]')) {
  window.setTimeout(poll, 1000)
}
