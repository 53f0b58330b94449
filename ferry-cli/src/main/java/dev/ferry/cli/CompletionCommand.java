package dev.ferry.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "completion", description = {"Print a shell completion script.",
    "  bash: source <(ferry completion bash)",
    "  zsh:  source <(ferry completion zsh)",
    "  fish: ferry completion fish > ~/.config/fish/completions/ferry.fish"})
final class CompletionCommand extends FerryCommand {
    enum Shell { bash, zsh, fish }

    @Parameters(index = "0", paramLabel = "SHELL", description = "One of: ${COMPLETION-CANDIDATES}.")
    Shell shell;

    CompletionCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        CommandLine root = spec.root().commandLine();
        String script = switch (shell) {
            case bash -> AutoComplete.bash("ferry", root);
            // picocli's script is written for bash and zsh's bash compatibility layer
            case zsh -> "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n"
                    + AutoComplete.bash("ferry", root);
            case fish -> FishCompletion.script(root);
        };
        ctx.out.print(script);
        ctx.out.flush();
        return 0;
    }
}
