# pk completion for bash, printed by `pk completion bash`. In ~/.bashrc:
#   eval "$(pk completion bash)"
#
# Each TAB asks `pk __complete INDEX WORD…`, which answers without loading the CLI: a line
# saying what to offer (:words, or :files for a file name), then `value<TAB>description`
# lines in the order to show them. Descriptions (a promise's text) are shown beside the
# values when there is more than one to choose from.

_pk_complete() {
    local cur=${COMP_WORDS[COMP_CWORD]} quote=
    case $cur in
        \"* | \'*) quote=${cur:0:1} ;;
    esac
    local -a words=("${COMP_WORDS[@]}")
    words[COMP_CWORD]=${cur#"$quote"}
    local IFS=$'\n'
    local -a lines
    lines=($("${COMP_WORDS[0]}" __complete "$COMP_CWORD" "${words[@]}" 2>/dev/null)) || return 0
    COMPREPLY=()
    compopt -o nosort 2>/dev/null
    if [[ ${lines[0]} == :files ]]; then
        compopt -o default 2>/dev/null
        return 0
    fi
    local line value width=${COLUMNS:-80} described=0
    for line in "${lines[@]:1}"; do
        [[ $line == *$'\t'?* ]] && described=1
    done
    for line in "${lines[@]:1}"; do
        value=${line%%$'\t'*}
        if (( ${#lines[@]} > 2 && described )); then
            # Shown, not inserted: bash inserts only a value it is sure of.
            line="$value  (${line#*$'\t'})"
            (( ${#line} > width - 2 )) && line="${line:0:width-3}…"
            COMPREPLY+=("$line")
        elif [[ -n $quote ]]; then
            COMPREPLY+=("$value")
        else
            printf -v value '%q' "$value"
            COMPREPLY+=("$value")
        fi
    done
}

complete -F _pk_complete pk promisekeeper
