"""Board packs: one PDF for a board meeting, made in the background.

The dashboard's summary (counts, changes since the last meeting with their reasons,
late and stale tasks, completions awaiting confirmation, the trend chart) followed by
the plan as at the meeting. `models.BoardPack` is one request and its progress;
`build.build_pack` makes the file (run by the job in `actionplans.jobs`); `views` are
the page that asks for one and shows its progress, and the download.
"""
