"""Starting background work from the app: each function gathers what the work needs
(the session's Settings included, passed explicitly), starts a job and returns its id.
Widgets live in views/ and components/; nothing here draws anything."""
