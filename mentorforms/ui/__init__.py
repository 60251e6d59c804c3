"""The form pages served by Voila, as plain Python over ipywidgets (testable without a browser).

widgets: one input per field kind, derived from the declaration. form_page: the page for one
form (draft, submit, sign, edit, download, print; permission checks in every action). landing:
every form the viewer may open. context: the request, data folder, roster and identity. prefill:
a new form's first answers. style: the style sheet and the leave-warning script.
"""
