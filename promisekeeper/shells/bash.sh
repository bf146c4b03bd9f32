# promisekeeper for bash, printed by `pk init bash`. In ~/.bashrc:  eval "$(pk init bash)"
#
# Before each prompt __pk_hook sets $PROMISEKEEPER_SEGMENT, e.g. "⚑2 ◷3" (2 promises
# overdue, 3 more due later today; empty when all is well) and, unless `pk init bash
# --env-only` printed this, shows it at the start of PS1. It reads the schedule pk writes
# after every change, so while that is fresh no process is started; when it is stale
# (a change pk did not record, another zone or database, past its end) it asks
# `pk prompt --schedule`. The first shell of the day shows `pk brief` when something
# is due (config prompt.brief = false turns that off).

__pk_cmd=(@@CMD@@)
__pk_schedule=@@SCHEDULE@@
__pk_briefed=@@BRIEF_FILE@@
__pk_db=@@DB_FILE@@
__pk_config=@@CONFIG@@
__pk_target=@@TARGET@@
__pk_envkey=@@ENVKEY@@
__pk_plain= __pk_shown= __pk_ps1=

# The baked paths hold only in the environment `pk init` saw.
__pk_same_env() {
  [[ "${PROMISEKEEPER_DB-}|${PROMISEKEEPER_CONFIG-}|${PROMISEKEEPER_STATE-}|${XDG_DATA_HOME-}|${XDG_CONFIG_HOME-}|${XDG_STATE_HOME-}|${HOME-}" == "$__pk_envkey" ]]
}

# __pk_now := epoch seconds, from PROMISEKEEPER_NOW=@SECONDS or the clock; an ISO
# PROMISEKEEPER_NOW (or a bash without printf %()T) is left to `pk prompt`.
__pk_clock() {
  if [[ -n ${PROMISEKEEPER_NOW-} ]]; then
    local digits=${PROMISEKEEPER_NOW#@}
    [[ $PROMISEKEEPER_NOW == @* && -n $digits && $digits != *[!0-9]* ]] || return 1
    __pk_now=$((10#$digits))
  else
    (( BASH_VERSINFO[0] * 100 + BASH_VERSINFO[1] >= 402 )) || return 1
    printf -v __pk_now '%(%s)T' -1
  fi
}

# Trust the schedule file unless the database, its -wal file (a commit in WAL mode
# touches only that) or the config changed after it was written.
__pk_fresh() {
  [[ -f $__pk_schedule ]] && __pk_same_env || return 1
  if [[ -n $__pk_db ]]; then
    [[ $__pk_db -nt $__pk_schedule || $__pk_db-wal -nt $__pk_schedule ]] && return 1
  fi
  [[ ! $__pk_config -nt $__pk_schedule ]]
}

# Read a schedule on stdin and take the row in force at __pk_now. "check": refuse one
# made for another zone, database, config or time; otherwise (the output of
# `pk prompt --schedule`) it starts at the moment pk saw as now.
__pk_read() {
  local IFS=$' \t\n' magic start until ascii color stamp zone target template from o t nx who
  IFS= read -r magic && [[ $magic == 'pk-schedule 1' ]] || return 1
  read -r start until ascii color stamp && IFS= read -r zone && IFS= read -r target \
    && IFS= read -r template || return 1
  [[ -n $start && -n $until && -n $ascii && -n $color && $start$until$ascii$color != *[!0-9]* ]] || return 1
  if [[ $1 == check ]]; then
    local here=unset
    [[ -n ${TZ+set} ]] && here="set:$TZ"
    [[ $zone == "$here" && $target == "$__pk_target" ]] || return 1
    (( start <= __pk_now && __pk_now < until )) || return 1
    if [[ -e $__pk_config ]]; then [[ $stamp != -1 ]]; else [[ $stamp == -1 ]]; fi || return 1
  else
    __pk_now=$start
  fi
  __pk_o=
  while read -r from o t nx who; do
    [[ -n $from && -n $o && -n $t && $from$o$t != *[!0-9]* ]] || return 1
    [[ $nx == - || ( -n $nx && $nx != *[!0-9]* ) ]] || return 1
    (( from <= __pk_now )) || break
    __pk_o=$o __pk_t=$t __pk_nx=$nx __pk_who=$who
  done
  [[ -n $__pk_o ]] || return 1
  __pk_template=$template __pk_ascii=$ascii __pk_color=$color
}

# __pk_plain (for $PROMISEKEEPER_SEGMENT) and __pk_shown (coloured, for PS1) from the
# row, exactly as `pk prompt` and `pk prompt --shell bash` render it.
__pk_compose() {
  __pk_plain= __pk_shown=
  (( __pk_o > 0 || __pk_t > 0 )) || return 0
  local text=
  if [[ -z $__pk_template ]]; then
    local late='⚑' soon='◷'
    (( __pk_ascii )) && late='!' soon='~'
    (( __pk_o > 0 )) && text=$late$__pk_o
    (( __pk_t > 0 )) && text+=${text:+ }$soon$__pk_t
  else
    local next_in= who= left
    if [[ $__pk_nx != - ]]; then
      left=$(( __pk_nx - __pk_now )) who=$__pk_who
      if (( left < 3600 )); then next_in=$(( (left < 0 ? 0 : left) / 60 ))m
      elif (( left < 172800 )); then next_in=$(( left / 3600 ))h
      else next_in=$(( left / 86400 ))d
      fi
    fi
    # Quoted replacements: bash 5.2 would otherwise read & in a name as the match.
    text=${__pk_template//"{overdue}"/"$__pk_o"}
    text=${text//"{today}"/"$__pk_t"}
    text=${text//"{next_in}"/"$next_in"}
    text=${text//"{next_who}"/"$who"}
  fi
  __pk_plain=$text __pk_shown=$text
  if (( __pk_color )) && [[ -z ${NO_COLOR-} ]]; then
    local code=$'\e[33m'
    (( __pk_o > 0 )) && code=$'\e[31m'
    # \001 and \002 are what \[ and \] become: they keep readline's line width right.
    __pk_shown=$'\001'$code$'\002'$text$'\001\e[0m\002'
  fi
}

__pk_render() {
  local __pk_now __pk_o __pk_t __pk_nx __pk_who __pk_template __pk_ascii __pk_color out
  if ! { __pk_clock && __pk_fresh && __pk_read check < "$__pk_schedule"; } 2>/dev/null; then
    out=$("${__pk_cmd[@]}" prompt --schedule 2>/dev/null)
    if ! __pk_read fallback <<< "$out"; then
      __pk_plain= __pk_shown=
      return 0
    fi
  fi
  __pk_compose
}

# Print the segment as `pk prompt --shell bash` would, for a PS1 of your own.
__pk_prompt() {
  __pk_render
  [[ -z $__pk_shown ]] || printf '%s\n' "$__pk_shown"
}

__pk_hook() {
  local __pk_status=$?
  __pk_render
  export PROMISEKEEPER_SEGMENT=$__pk_plain
  __pk_ps1=${__pk_shown:+$__pk_shown }
  return $__pk_status
}

# The daily briefing, once a day and only when something is overdue or due today;
# once it has been shown today this starts no process at all.
__pk_brief() {
  local __pk_now today= last=
  if __pk_clock; then
    printf -v today '%(%F)T' "$__pk_now"
    [[ -r $__pk_briefed ]] && IFS= read -r last < "$__pk_briefed"
    [[ $last == "$today" ]] && return 0
    __pk_render
    [[ -n $__pk_plain ]] || return 0
  fi
  "${__pk_cmd[@]}" brief --once-a-day
}

# Last in PROMPT_COMMAND (a string, or an array in bash >= 5.1), once however often
# this is evaluated. Any command resets PIPESTATUS, and only a pipeline of new processes
# could set it back, so a hook run first would leave every later entry (a status line, a
# history logger, starship) one status where a pipeline had several. Run last, the
# entries before it see all of your command's statuses, and the hook still hands $? on
# to PS1, which bash expands after the whole of PROMPT_COMMAND: the segment there is
# always current. The price, weighed against that: an entry before the hook that reads
# $PROMISEKEEPER_SEGMENT sees the value from the prompt before (the other way round,
# everything after a first hook loses the statuses, every prompt). starship is such a
# reader, so evaluate this before `starship init bash`: starship takes PROMPT_COMMAND
# over and runs it (this hook too) after saving $? and PIPESTATUS and before making its
# prompt, so it gets the statuses and a current segment. A newline, not ";", joins the
# string: it also ends an entry with a trailing ";", "&" or a comment. A copy starship
# has taken over counts as hooked (STARSHIP_PROMPT_COMMAND; in older starships
# _PRESERVED_PROMPT_COMMAND), so reading ~/.bashrc again adds no second hook after it.
if [[ "${PROMPT_COMMAND[*]-} ${STARSHIP_PROMPT_COMMAND-} ${_PRESERVED_PROMPT_COMMAND-}" != *__pk_hook* ]]; then
  if (( BASH_VERSINFO[0] * 100 + BASH_VERSINFO[1] >= 501 )) && [[ -n ${PROMPT_COMMAND+set} ]] \
    && [[ ${PROMPT_COMMAND@a} == *a* ]]; then
    PROMPT_COMMAND+=(__pk_hook)
  elif [[ ${PROMPT_COMMAND-} == *[![:space:]\;]* ]]; then
    PROMPT_COMMAND+=$'\n__pk_hook'
  else
    PROMPT_COMMAND=__pk_hook
  fi
fi
if (( @@IN_PROMPT@@ )) && shopt -q promptvars && [[ ${PS1-} != *'${__pk_ps1}'* ]]; then
  PS1='${__pk_ps1}'${PS1-}
fi
if (( @@BRIEF@@ )) && [[ $- == *i* ]]; then
  __pk_brief
fi
:
