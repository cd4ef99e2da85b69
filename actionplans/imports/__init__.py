"""Reading an action plan out of a partnership's own Word document.

`files` opens an upload safely (size, zip bomb, password-protected, corrupt), `docx` walks
the document into a plain `ParsedPlan` (`parsed`) with the help of small readers for column
headings (`columns`), target dates (`dates`), RAG ratings (`rag`) and leads (`leads`).
`services.import_plan` writes a parsed plan in one transaction. Nothing is written before
the plan manager has seen the preview and confirmed.
"""
