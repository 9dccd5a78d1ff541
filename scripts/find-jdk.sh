# Sourced by ./seriatim, ./mvnw and .ci/run: sets JAVA_HOME to a JDK >= 21, or fails with a clear message.
# POSIX sh (mvnw runs it under dash). Looks at $JAVA_HOME first, then the JDK of the `javac` on the
# PATH (SDKMAN, Homebrew: a JDK outside /usr/lib/jvm), then Temurin 25, then every JDK under /usr/lib/jvm.
seriatim_java_major() { "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }

seriatim_path_jdk() {
  local javac
  javac=$(command -v javac 2>/dev/null) && javac=$(readlink -f "$javac" 2>/dev/null) && printf '%s\n' "${javac%/bin/javac}"
  return 0
}

seriatim_find_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" "$(seriatim_path_jdk)" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(seriatim_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      JAVA_HOME="$candidate"; export JAVA_HOME; return 0
    fi
  done
  echo "seriatim: no JDK >= 21 found (looked at \$JAVA_HOME, the PATH's javac and /usr/lib/jvm/*); install one (e.g. Temurin 21+) and set JAVA_HOME" >&2
  return 1
}
