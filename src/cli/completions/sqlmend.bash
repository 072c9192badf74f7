# bash completion for sqlmend. The candidates come from the binary itself
# (`sqlmend __complete WORD...`, see src/cli/complete.h): subcommands, flags,
# and revisions read from the project's script directory, so this file never
# needs to change when the command line does.
#
# Installed as /usr/share/bash-completion/completions/sqlmend; or source it
# from ~/.bashrc.

_sqlmend() {
    local cur words cword
    # Words as the user typed them: bash splits "label@head" or "a:b" at ':'
    # and '=' (COMP_WORDBREAKS), sqlmend wants them whole.
    if declare -F _get_comp_words_by_ref >/dev/null 2>&1; then
        _get_comp_words_by_ref -n =: cur words cword
    else
        local line=${COMP_LINE:0:COMP_POINT}
        read -ra words <<<"$line"
        [[ -z $line || $line == *[[:space:]] ]] && words+=("")
        cword=$((${#words[@]} - 1))
        cur=${words[cword]}
    fi

    local output
    output=$("${words[0]}" __complete "${words[@]:1:cword-1}" "$cur" 2>/dev/null) || return 0

    local line directive=":none"
    local -a values=()
    while IFS= read -r line; do
        case $line in
            :none | :files | :dirs) directive=$line ;;
            *) values+=("${line%%$'\t'*}") ;;
        esac
    done <<<"$output"

    local -a paths=()
    case $directive in
        :files) mapfile -t paths < <(compgen -f -- "$cur") ;;
        :dirs) mapfile -t paths < <(compgen -d -- "$cur") ;;
    esac
    COMPREPLY=("${values[@]}" "${paths[@]}")
    if [[ $directive != :none ]]; then
        compopt -o filenames 2>/dev/null
    fi

    # bash replaces only the part of the word after the last ':' or '=' in
    # COMP_WORDBREAKS; drop what comes before it from each candidate.
    local breaks=${COMP_WORDBREAKS//[^:=]/}
    if [[ -n $breaks && $cur == *["$breaks"]* ]]; then
        local prefix=${cur%"${cur##*["$breaks"]}"}
        local i
        for i in "${!COMPREPLY[@]}"; do
            COMPREPLY[i]=${COMPREPLY[i]#"$prefix"}
        done
    fi
    return 0
}

complete -F _sqlmend sqlmend
