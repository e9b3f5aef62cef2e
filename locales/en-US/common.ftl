# Words used in several panes. Keys are lower-case with dashes; `{ $n }` and other
# `$` names are filled in by the program. Plurals: see https://projectfluent.org.

topic-count = { $n ->
    [one] { $n } topic
   *[other] { $n } topics
}
