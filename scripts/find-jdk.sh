# Sourced by ./ferry and .ci/run: sets FERRY_JAVA_HOME to a JDK 21 or newer, or explains and exits 3.
# Order: $JAVA_HOME if it is 21+, then the newest 21+ JDK under the system's JVM directories.

ferry_java_major() {
  # prints the major version of the JDK whose java binary is $1, or nothing. Reads the JDK's
  # 'release' file when there is one: starting a JVM just to ask costs ~100 ms per candidate.
  local home release version
  home="$(dirname "$(dirname "$1")")"
  release="$home/release"
  if [ -f "$release" ]; then
    version="$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$release" | head -n1)"
  else
    version="$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n1)"
  fi
  version="${version#1.}"
  echo "${version%%[.+-]*}"
}

ferry_find_jdk() {
  local candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(ferry_java_major "$JAVA_HOME/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      FERRY_JAVA_HOME="$JAVA_HOME"
      return 0
    fi
  fi
  for candidate in /usr/lib/jvm/* /usr/java/* /opt/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -x "$candidate/bin/javac" ] || continue
    major=$(ferry_java_major "$candidate/bin/java")
    [ -n "$major" ] || continue
    if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best="$candidate"; best_major="$major"
    fi
  done
  if [ -n "$best" ]; then
    FERRY_JAVA_HOME="$best"
    return 0
  fi
  echo "error: ferry needs a JDK 21 or newer, and none was found — JAVA_HOME is '${JAVA_HOME:-unset}'" \
       "and /usr/lib/jvm holds no JDK 21+; install one (e.g. apt-get install openjdk-21-jdk or Temurin 21+)" \
       "and/or set JAVA_HOME to it" >&2
  exit 3
}
