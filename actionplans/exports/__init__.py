"""Exports of a plan for people outside the app: the board, cabinet, the inspectorates.

`document` loads what an export shows, once, with the plan page's own querysets and
whatever the format; each format renders it in its own module (`pdf`).
"""
