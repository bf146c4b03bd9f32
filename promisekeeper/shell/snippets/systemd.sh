#!/bin/sh
# promisekeeper reminders as a systemd user timer, printed by `pk init systemd`.
# Install with:   pk init systemd | sh
# Every 5 minutes `pk remind` tells of promises that need action now (whether it also
# shows desktop notifications, --notify, the comment in the service says);
# Persistent=true runs a missed check after the machine was off or asleep. Output goes
# to the journal: journalctl --user -u promisekeeper-remind
# The unit names no password: it reads them from the private environment file (mode 0600)
# that `pk init systemd` writes when they are set.
# For reminders while you are logged out:   loginctl enable-linger "$USER"
# To remove: systemctl --user disable --now promisekeeper-remind.timer, then delete the
# two files below.
set -eu
unit_dir="${XDG_CONFIG_HOME:-$HOME/.config}/systemd/user"
mkdir -p "$unit_dir"

cat > "$unit_dir/promisekeeper-remind.service" <<'PK_UNIT_END'
[Unit]
Description=promisekeeper: remind about promises that need action

[Service]
Type=oneshot
@@NOTIFY_NOTE@@
@@ENVIRONMENT@@
ExecStart=@@EXEC@@
PK_UNIT_END

cat > "$unit_dir/promisekeeper-remind.timer" <<'PK_UNIT_END'
[Unit]
Description=promisekeeper: check promises every 5 minutes

[Timer]
OnCalendar=*:0/5
Persistent=true

[Install]
WantedBy=timers.target
PK_UNIT_END

systemctl --user daemon-reload && systemctl --user enable --now promisekeeper-remind.timer
echo "promisekeeper reminders installed: $unit_dir/promisekeeper-remind.timer"
