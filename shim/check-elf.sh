#!/bin/sh
# check-elf.sh FILE MACHINE SONAME MAP: checks that a built shim is what the package promises.
#   - a 64-bit ELF shared object for MACHINE (a word of readelf's "Machine:" line: X86-64, AArch64);
#   - its soname is SONAME;
#   - it exports exactly the functions listed in MAP's "global:" section, no more, no fewer.
# readelf (binutils) reads any architecture's ELF, so a cross-compiled shim is checked on the host.
set -eu
file=$1 machine=$2 soname=$3 map=$4
fail() { echo "check-elf: $file: $*" >&2; exit 1; }

command -v readelf >/dev/null 2>&1 || fail "readelf not found (install binutils)"
[ -f "$file" ] || fail "no such file"

header=$(readelf -h "$file") || fail "not an ELF file"
echo "$header" | grep -q 'Class:[[:space:]]*ELF64' || fail "not a 64-bit ELF"
echo "$header" | grep -q 'Type:[[:space:]]*DYN' || fail "not a shared object"
echo "$header" | grep 'Machine:' | grep -qw -- "$machine" \
    || fail "machine is '$(echo "$header" | sed -n 's/^ *Machine: *//p')', expected $machine"

actual_soname=$(readelf -d "$file" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$actual_soname" = "$soname" ] || fail "soname is '$actual_soname', expected $soname"

# Expected: the names between "global:" and "local:" in the version script.
expected=$(sed -n '/global:/,/local:/p' "$map" | sed -n 's/^[[:space:]]*\([a-z_0-9]*\);.*/\1/p' | sort)
# Actual: defined (Ndx not UND) global functions of the dynamic symbol table, version suffix dropped.
actual=$(readelf --dyn-syms -W "$file" \
    | awk '$4 == "FUNC" && $5 == "GLOBAL" && $7 != "UND" { sub(/@.*/, "", $8); print $8 }' | sort)
[ -n "$expected" ] || fail "no exports found in $map"
if [ "$expected" != "$actual" ]; then
    echo "check-elf: $file: exports differ from $map (< expected, > actual):" >&2
    printf '%s\n' "$expected" > "${TMPDIR:-/tmp}/check-elf.expected.$$"
    printf '%s\n' "$actual" | diff "${TMPDIR:-/tmp}/check-elf.expected.$$" - >&2 || true
    rm -f "${TMPDIR:-/tmp}/check-elf.expected.$$"
    exit 1
fi
echo "check-elf: $file: $machine, soname $soname, $(echo "$expected" | wc -l) exports as in $map"
