# promisekeeper for zsh, printed by `pk init zsh`. In ~/.zshrc:  eval "$(pk init zsh)"
#
# Before each prompt __pk_hook (first in precmd_functions) sets $PROMISEKEEPER_SEGMENT,
# e.g. "⚑2 ◷3" (2 promises overdue, 3 more due later today; empty when all is well)
# and, unless `pk init zsh --env-only` printed this, shows it at the start of PROMPT
# (turning on prompt_subst; a PROMPT that did not use it is escaped to read the same).
# It reads the schedule pk writes after every change, so while that is fresh no process
# is started ($EPOCHSECONDS, read); when it is stale it asks `pk prompt --schedule`.
# powerlevel10k: add `promisekeeper` to POWERLEVEL9K_LEFT_PROMPT_ELEMENTS and use
# --env-only. The first shell of the day shows `pk brief` when something is due.

zmodload zsh/datetime 2>/dev/null
typeset -ga __pk_cmd
__pk_cmd=(@@CMD@@)
typeset -g __pk_schedule=@@SCHEDULE@@
typeset -g __pk_briefed=@@BRIEF_FILE@@
typeset -g __pk_db=@@DB_FILE@@
typeset -g __pk_config=@@CONFIG@@
typeset -g __pk_target=@@TARGET@@
typeset -g __pk_envkey=@@ENVKEY@@
typeset -g __pk_plain= __pk_shown= __pk_ps1=

# The baked paths hold only in the environment `pk init` saw.
__pk_same_env() {
  [[ "${PROMISEKEEPER_DB-}|${PROMISEKEEPER_CONFIG-}|${PROMISEKEEPER_STATE-}|${XDG_DATA_HOME-}|${XDG_CONFIG_HOME-}|${XDG_STATE_HOME-}|${HOME-}" == "$__pk_envkey" ]]
}

# __pk_now := epoch seconds, from PROMISEKEEPER_NOW=@SECONDS or $EPOCHSECONDS; an ISO
# PROMISEKEEPER_NOW is left to `pk prompt`.
__pk_clock() {
  emulate -L zsh
  if [[ -n ${PROMISEKEEPER_NOW-} ]]; then
    local digits=${PROMISEKEEPER_NOW#@}
    [[ $PROMISEKEEPER_NOW == @* && -n $digits && $digits != *[^0-9]* ]] || return 1
    __pk_now=$(( 10#$digits ))
  else
    [[ -n ${EPOCHSECONDS-} ]] || return 1
    __pk_now=$EPOCHSECONDS
  fi
}

# Trust the schedule file unless the database, its -wal file (a commit in WAL mode
# touches only that) or the config changed after it was written.
__pk_fresh() {
  emulate -L zsh
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
  emulate -L zsh
  local IFS=$' \t\n' magic start until ascii color stamp zone target template from o t nx who
  IFS= read -r magic && [[ $magic == 'pk-schedule 1' ]] || return 1
  read -r start until ascii color stamp && IFS= read -r zone && IFS= read -r target \
    && IFS= read -r template || return 1
  [[ -n $start && -n $until && -n $ascii && -n $color && $start$until$ascii$color != *[^0-9]* ]] || return 1
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
    [[ -n $from && -n $o && -n $t && $from$o$t != *[^0-9]* ]] || return 1
    [[ $nx == - || ( -n $nx && $nx != *[^0-9]* ) ]] || return 1
    (( from <= __pk_now )) || break
    __pk_o=$o __pk_t=$t __pk_nx=$nx __pk_who=$who
  done
  [[ -n $__pk_o ]] || return 1
  __pk_template=$template __pk_ascii=$ascii __pk_color=$color
}

# __pk_plain (for $PROMISEKEEPER_SEGMENT) and __pk_shown (% doubled, coloured, for
# PROMPT) from the row, exactly as `pk prompt` and `pk prompt --shell zsh` render it.
__pk_compose() {
  emulate -L zsh
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
    text=${__pk_template//"{overdue}"/$__pk_o}
    text=${text//"{today}"/$__pk_t}
    text=${text//"{next_in}"/$next_in}
    text=${text//"{next_who}"/$who}
  fi
  __pk_plain=$text
  __pk_shown=${text//\%/%%}
  if (( __pk_color )) && [[ -z ${NO_COLOR-} ]]; then
    local name=yellow
    (( __pk_o > 0 )) && name=red
    __pk_shown="%F{$name}$__pk_shown%f"
  fi
}

__pk_render() {
  emulate -L zsh
  local __pk_now __pk_o __pk_t __pk_nx __pk_who __pk_template __pk_ascii __pk_color out
  if ! { __pk_clock && __pk_fresh && __pk_read check < $__pk_schedule } 2>/dev/null; then
    out=$("${__pk_cmd[@]}" prompt --schedule 2>/dev/null)
    if ! __pk_read fallback <<< $out; then
      __pk_plain= __pk_shown=
      return 0
    fi
  fi
  __pk_compose
}

# Print the segment as `pk prompt --shell zsh` would, for a PROMPT of your own.
__pk_prompt() {
  __pk_render
  [[ -z $__pk_shown ]] || print -r -- $__pk_shown
}

__pk_hook() {
  local __pk_status=$?
  __pk_render
  export PROMISEKEEPER_SEGMENT=$__pk_plain
  __pk_ps1=${__pk_shown:+$__pk_shown }
  return $__pk_status
}

# A powerlevel10k segment: the text goes through prompt expansion, so % is doubled.
prompt_promisekeeper() {
  [[ -n ${PROMISEKEEPER_SEGMENT-} ]] && p10k segment -f red -t "${PROMISEKEEPER_SEGMENT//\%/%%}"
}

# The daily briefing, once a day and only when something is overdue or due today;
# once it has been shown today this starts no process at all.
__pk_brief() {
  emulate -L zsh
  local __pk_now today= last=
  if __pk_clock && (( $+builtins[strftime] )); then
    strftime -s today %F $__pk_now
    [[ -r $__pk_briefed ]] && IFS= read -r last < $__pk_briefed
    [[ $last == "$today" ]] && return 0
    __pk_render
    [[ -n $__pk_plain ]] || return 0
  fi
  "${__pk_cmd[@]}" brief --once-a-day
}

# First in precmd_functions, so those after it (starship's too) see the segment current.
# That costs them nothing: zsh hands each precmd function, and PROMPT, the $? and
# $pipestatus of your command, whatever ran before them.
(( ${+precmd_functions} )) || typeset -ga precmd_functions
(( ${precmd_functions[(Ie)__pk_hook]} )) || precmd_functions=(__pk_hook $precmd_functions)
if (( @@IN_PROMPT@@ )) && [[ ${PROMPT-} != *'${__pk_ps1}'* ]]; then
  if [[ ! -o prompt_subst ]]; then
    # With prompt_subst on, $ ` and \ in PROMPT mean something: escape the old ones.
    PROMPT=${PROMPT//\\/\\\\}
    PROMPT=${PROMPT//\$/\\\$}
    PROMPT=${PROMPT//\`/\\\`}
    if (( ${+RPROMPT} )); then
      RPROMPT=${RPROMPT//\\/\\\\}
      RPROMPT=${RPROMPT//\$/\\\$}
      RPROMPT=${RPROMPT//\`/\\\`}
    fi
    setopt prompt_subst
  fi
  PROMPT='${__pk_ps1}'${PROMPT-}
fi
if (( @@BRIEF@@ )) && [[ -o interactive ]]; then
  __pk_brief
fi
:
