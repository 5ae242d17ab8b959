# shellcheck shell=bash
# Finds a JDK >= 21 (Helidon 4 needs it): JAVA_HOME if new enough, else the newest under
# /usr/lib/jvm, else a clear error. Sets JAVA_HOME and JAVA. Sourced by bin/* and .ci/run.

akua_java_major() {
  "$1" -XshowSettings:properties -version 2>&1 \
    | awk -F'= ' '/java.specification.version/ { split($2, v, "."); print v[1]; exit }'
}

akua_find_jdk() {
  local candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(akua_java_major "$JAVA_HOME/bin/java")
    if [ "${major:-0}" -ge 21 ]; then
      echo "$JAVA_HOME"
      return 0
    fi
  fi
  for candidate in /usr/lib/jvm/*; do
    [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(akua_java_major "$candidate/bin/java")
    if [ "${major:-0}" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best="$candidate"
      best_major="$major"
    fi
  done
  if [ -n "$best" ]; then
    echo "$best"
    return 0
  fi
  echo "akua-registry needs a JDK 21 or newer (Helidon 4). JAVA_HOME=${JAVA_HOME:-unset} is older or missing," >&2
  echo "and none was found under /usr/lib/jvm. Install one (e.g. Temurin 21+) or point JAVA_HOME at it." >&2
  return 1
}

JAVA_HOME=$(akua_find_jdk) || exit 1
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"
export PATH="$JAVA_HOME/bin:$PATH"
