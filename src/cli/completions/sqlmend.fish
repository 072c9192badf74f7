# fish completion for sqlmend. The candidates come from the binary itself
# (`sqlmend __complete WORD...`, see src/cli/complete.h): subcommands, flags,
# and revisions read from the project's script directory, with descriptions.
#
# Installed as /usr/share/fish/vendor_completions.d/sqlmend.fish.

function __sqlmend_complete
    set -l tokens (commandline -opc)
    set -l current (commandline -ct)
    set -l output ($tokens[1] __complete $tokens[2..-1] $current 2>/dev/null)
    or return
    set -l directive :none
    for line in $output
        switch $line
            case :none :files :dirs
                set directive $line
            case '*'
                echo $line
        end
    end
    switch $directive
        case :files
            __fish_complete_path $current
        case :dirs
            __fish_complete_directories $current
    end
end

complete -c sqlmend -f -a '(__sqlmend_complete)'
