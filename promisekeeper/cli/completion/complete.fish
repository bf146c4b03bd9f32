# pk completion for fish, printed by `pk completion fish`. In ~/.config/fish/config.fish:
#   pk completion fish | source
# (or save it as ~/.config/fish/completions/pk.fish).
#
# Each TAB asks `pk __complete INDEX WORD…`, which answers without loading the CLI: a line
# saying what to offer (:words, or :files for a file name), then `value<TAB>description`
# lines, in the order to show them.

function __pk_complete
    set -l before (commandline -opc)
    set -l current (string trim --left --chars "\"'" -- (commandline -ct))
    set -l lines ($before[1] __complete (count $before) $before "$current" 2>/dev/null)
    if test "$lines[1]" = ":files"
        __fish_complete_path "$current"
        return
    end
    printf '%s\n' $lines[2..-1]
end

complete --command pk --no-files --keep-order --arguments '(__pk_complete)'
complete --command promisekeeper --no-files --keep-order --arguments '(__pk_complete)'
