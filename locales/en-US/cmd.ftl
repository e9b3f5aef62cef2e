## Saved commands, repeats and replies (src/model/template.rs, saved_command.rs, the
## Commands pane, the publish pane's repeat and reply rows, `pub --template`).

cmd-var-bad-random = { $text } needs two numbers, the smaller first, e.g. {"{{"}random 0 100{"}}"}
cmd-var-no-arguments = { $text } takes no arguments
cmd-var-missing = no value for {"{{"}{ $name }{"}}"}
cmd-bad-qos = QoS { $qos } does not exist (0, 1 or 2)
cmd-name-empty = a saved command needs a name
cmd-name-taken = there is already a command named “{ $name }”
cmd-none-saved = no saved command “{ $query }”: this profile has no saved commands
cmd-not-found = no saved command “{ $query }”; saved: { $names }
cmd-ambiguous = “{ $query }” is in several collections: { $names } (say which, as collection/name)
