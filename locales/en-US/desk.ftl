# The desktop: file dialogs (save and open) and toasts (notices and errors).

desk-title-chart-csv = Save chart data as CSV
desk-title-save-payload = Save payload
desk-title-load-payload = Load payload from file
desk-title-tls-ca = Choose the CA certificate
desk-title-tls-cert = Choose the client certificate
desk-title-tls-key = Choose the client key
desk-title-record-to = Record to file
desk-title-export-to = Export to file
desk-folder = Folder
desk-file-name = File name
desk-open = Open
desk-save = Save
desk-cancel = Cancel
desk-new-folder = New folder
desk-new-folder-name = New folder
desk-refresh = Refresh
desk-parent-folder = Parent folder
desk-file-label = File:
desk-show-hidden = Show hidden files
desk-is-folder = Not saved: { $path } is a folder.
desk-saved = { $n ->
    [one] Saved { $n } byte to { $path }
   *[other] Saved { $n } bytes to { $path }
}
desk-save-failed = Could not save { $path }: { $reason }
desk-read-failed = Could not read { $path }: { $reason }
desk-not-a-file = { $path } is not a file.
desk-too-large = { $path } is { $size }, larger than the { $max } this connection can publish (its maximum packet size).
desk-replace-title = Replace the file?
desk-replace-question = “{ $name }” already exists in { $folder }. Replacing it overwrites what it holds.
desk-replace = Replace
desk-io-permission = permission denied
desk-io-not-found = the folder does not exist
desk-io-full = the disk is full
desk-io-read-only = the disk is read-only
desk-io-is-folder = it is a folder
desk-load-payload = Load payload from file…
desk-browse = Browse…
desk-toast-dismiss = Dismiss
desk-toast-dismiss-all = Dismiss all
desk-toast-more = { $n ->
    [one] { $n } more notice
   *[other] { $n } more notices
}

# topicscope desktop-install
desk-install-unix-only = desktop-install is for Linux and BSD desktops (freedesktop.org menus)
desk-install-no-home = cannot find the home folder; give --data-home
desk-install-removed = removed { $path }
desk-install-nothing = nothing to remove under { $path }
desk-install-no-exe = cannot tell where this program is: { $error }
desk-install-installed = installed { $path }
desk-install-done = Topicscope is in the application menu (starting { $exec }); some desktops show it after logging in again.
desk-install-cannot-create = cannot create { $path }: { $error }
desk-install-cannot-write = cannot write { $path }: { $error }
desk-install-cannot-remove = cannot remove { $path }: { $error }
