#compdef pk promisekeeper
# pk completion for zsh, printed by `pk completion zsh`. In ~/.zshrc, after compinit:
#   eval "$(pk completion zsh)"
#
# Each TAB asks `pk __complete INDEX WORD…`, which answers without loading the CLI: a line
# saying what to offer (:words, or :files for a file name), then `value<TAB>description`
# lines in the order to show them (matched ignoring case and accents, so they are added
# as they are).

_pk() {
    local -a lines values shown
    local line value description
    lines=("${(@f)$(${words[1]} __complete $((CURRENT - 1)) "${(@Q)words}" 2>/dev/null)}")
    if [[ ${lines[1]} == :files ]]; then
        _files
        return
    fi
    for line in "${(@)lines[2,-1]}"; do
        [[ -z $line ]] && continue
        value=${line%%$'\t'*}
        description=${line#*$'\t'}
        values+=("$value")
        shown+=("$value${description:+  -- $description}")
    done
    (( ${#values} )) || return 1
    compadd -U -V pk -l -d shown -a values
}

if (( $+functions[compdef] )); then
    compdef _pk pk promisekeeper
else
    autoload -Uz compinit && compinit && compdef _pk pk promisekeeper
fi
