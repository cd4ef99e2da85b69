"""Evidence behind "How will we know?": files and links attached to a key task.

`models.Evidence` is one item; `uploads` checks a file by its content before anything
is stored; `services.add_evidence` stores it and records it in the task's history;
`views` are the attach form and the download, both through the one door.
"""
