# promisekeeper for zsh, printed by `pk init zsh`. In ~/.zshrc:  eval "$(pk init zsh)"
#
# Before each prompt __pk_hook (first in precmd_functions) sets $PROMISEKEEPER_SEGMENT,
# e.g. "⚑2 ◷3" (2 promises overdue, 3 more due later today; empty when all is well)
# and, unless `pk init zsh --env-only` printed this, shows it at the start of PROMPT
# (turning on prompt_subst; a PROMPT that did not use it is escaped to read the same).
# pk writes the segment as it will read from each coming moment into a schedule after every
# change; the hook picks the row for now, checks its sum and prints its text, starting no
# process ($EPOCHSECONDS, read, zstat); when the schedule is stale it asks
# `pk prompt --schedule`. powerlevel10k: add `promisekeeper` to
# POWERLEVEL9K_LEFT_PROMPT_ELEMENTS and use --env-only. The first shell of the day shows
# `pk brief` when something is due.

zmodload zsh/datetime 2>/dev/null
zmodload -F zsh/stat b:zstat 2>/dev/null  # zstat only: your `stat` command stays as it is
typeset -ga __pk_cmd
__pk_cmd=(@@CMD@@)
typeset -g __pk_schedule=@@SCHEDULE@@
typeset -g __pk_stamp=@@STAMP@@
typeset -g __pk_briefed=@@BRIEF_FILE@@
typeset -g __pk_db=@@DB_FILE@@
typeset -g __pk_config=@@CONFIG@@
typeset -g __pk_target=@@TARGET@@
typeset -g __pk_login=@@LOGIN@@
typeset -g __pk_plain= __pk_shown= __pk_ps1=
typeset -g __pk_last_row= __pk_last_text= __pk_last_sev=0  # the last row checked, and its text

# The baked paths, and the login name whose promises count, hold only in the environment
# `pk init` saw. A password in a database URL matches as * here: this file holds none.
__pk_same_env() {
  [[ "${PROMISEKEEPER_DB-}|${PROMISEKEEPER_CONFIG-}|${PROMISEKEEPER_STATE-}|${XDG_DATA_HOME-}|${XDG_CONFIG_HOME-}|${XDG_STATE_HOME-}|${HOME-}" == @@ENVPATTERN@@ ]] || return 1
  # The login name as getpass finds it: LOGNAME, else USER (neither set: the same user id).
  local login=${LOGNAME:-${USER-}}
  [[ -z $login || $login == "$__pk_login" ]]
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

# Whether the schedule is a regular file of a sane size (not a FIFO, not /dev/zero).
__pk_sane() {
  emulate -L zsh
  local -a size
  [[ -f $__pk_schedule ]] && zstat -A size +size -- $__pk_schedule && (( size[1] <= 65536 ))
}

# Whether the files the schedule was read from are as they were ($1: 1 if it was read from
# a database file). The schedule's mtime is the newer of the database's and its -wal's as
# pk read them, the companion's the config's: equal, not merely not older, so a restored
# older file is a change too.
__pk_unchanged() {
  emulate -L zsh
  if [[ -e $__pk_config ]]; then
    [[ -e $__pk_stamp && ! $__pk_config -nt $__pk_stamp && ! $__pk_config -ot $__pk_stamp ]]
  else
    [[ ! -e $__pk_stamp ]]
  fi || return 1
  [[ -n $__pk_db ]] || return 0  # a database behind a URL: the rows' ends bound the schedule
  local s=$__pk_schedule db=$__pk_db wal=$__pk_db-wal
  if (( $1 )); then
    [[ ! $db -nt $s && ! $wal -nt $s ]] && { [[ -e $db && ! $s -nt $db ]] || [[ -e $wal && ! $s -nt $wal ]] }
  else
    [[ ! -e $db && ! -e $wal ]]
  fi
}

# Read a schedule on stdin; set __pk_plain and __pk_sev from the row in force at __pk_now once
# its sum adds up. "check": also refuse one made for another zone, database or files;
# otherwise (the output of `pk prompt --schedule`) it starts at the moment pk saw as now.
# Rows are read only up to the one in force, and only digits reach arithmetic.
__pk_read() {
  emulate -L zsh
  local IFS=$' \t\n' magic zone target color file from until rest n=0
  IFS= read -r magic && [[ $magic == 'pk-schedule 2' ]] || return 1
  IFS= read -r zone && IFS= read -r target && read -r color file || return 1
  [[ $color == [01] && $file == [01] ]] || return 1
  if [[ $1 == check ]]; then
    local here=unset
    [[ -n ${TZ+set} ]] && here="set:$TZ"
    [[ $zone == "$here" && $target == "$__pk_target" ]] && __pk_unchanged $file || return 1
  fi
  while :; do
    (( n++ < 200 )) && read -r from until rest || return 1
    [[ -n $from && -n $until && $from$until != *[^0-9]* ]] || return 1
    [[ $1 == check ]] || (( n > 1 )) || __pk_now=$(( 10#$from ))
    (( 10#$from <= __pk_now )) || return 1
    (( __pk_now < 10#$until )) && break
  done
  # The row in force: CHECK SEVERITY N and N bytes. A row checked before is known by its
  # whole line, flags included: nothing to add up again.
  local row="$color $file $from $until $rest"
  if [[ $row != $__pk_last_row ]]; then
    local check=${rest%% *} shown=${rest#* } e w=0 sum sev bytes
    local values="$color $file $from $until $shown"
    # Decimal numbers only, none with a leading 0.
    [[ " $rest " != *[^0-9\ ]* && " $values" != *" 0"[0-9]* && $shown == *" "* ]] || return 1
    sev=${shown%% *} bytes=${shown#* }
    n=${bytes%% *} bytes=${bytes#$n}
    # Its sum: Σ i·vᵢ mod 2³¹-1 over (color, file, from, until, severity, n, its bytes).
    (( sum = (${values// /*++w+}*++w) % 2147483647, 1 )) || return 1
    [[ $sum == $check ]] && (( sev <= 2 )) || return 1
    __pk_last_text=
    if [[ -n $bytes ]]; then
      printf -v e '\\x%x' ${=bytes} && printf -v __pk_last_text $e || return 1
    fi
    __pk_last_row=$row __pk_last_sev=$sev
  fi
  __pk_plain=$__pk_last_text __pk_sev=$__pk_last_sev __pk_color=$color
}

# __pk_plain (for $PROMISEKEEPER_SEGMENT) and __pk_shown (% doubled, coloured, for PROMPT):
# the row's text as pk rendered it, as `pk prompt --shell zsh` shows it.
__pk_render() {
  emulate -L zsh
  local __pk_now __pk_sev=0 __pk_color=0 out
  __pk_plain=
  if ! { __pk_clock && __pk_sane && __pk_same_env && __pk_read check < $__pk_schedule } 2>/dev/null; then
    out=$("${__pk_cmd[@]}" prompt --schedule 2>/dev/null)
    __pk_read fallback <<< $out 2>/dev/null || __pk_plain=
  fi
  __pk_shown=${__pk_plain//\%/%%}
  if [[ -n $__pk_plain ]] && (( __pk_color )) && [[ -z ${NO_COLOR-} ]]; then
    local name=yellow
    (( __pk_sev == 2 )) && name=red
    __pk_shown="%F{$name}$__pk_shown%f"
  fi
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
    [[ -f $__pk_briefed ]] && IFS= read -r -u 0 -k 10 last < $__pk_briefed
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
