package dev.drover.cli;

import dev.drover.cli.agents.CordonCommand;
import dev.drover.cli.agents.DrainCommand;
import dev.drover.cli.agents.TopCommand;
import dev.drover.cli.agents.UncordonCommand;
import dev.drover.cli.get.DescribeCommand;
import dev.drover.cli.get.GetCommand;
import dev.drover.cli.logs.LogsCommand;
import dev.drover.cli.run.RunCommand;
import dev.drover.cli.schedules.ResumeCommand;
import dev.drover.cli.schedules.SuspendCommand;
import dev.drover.cli.schedules.TriggerCommand;
import dev.drover.cli.steer.CancelCommand;
import dev.drover.cli.steer.RerunCommand;
import dev.drover.cli.steer.RetryCommand;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code kubectl drover}: the root command, its kubectl-like global options and exit codes. */
@Command(
    name = "kubectl drover",
    mixinStandardHelpOptions = true,
    // -h and --version on every command
    scope = ScopeType.INHERIT,
    versionProvider = DroverCli.Version.class,
    description = "Start, follow, read and steer Drover runs, schedules and agents.",
    subcommands = {
      RunCommand.class,
      LogsCommand.class,
      GetCommand.class,
      DescribeCommand.class,
      CancelCommand.class,
      RetryCommand.class,
      RerunCommand.class,
      TriggerCommand.class,
      SuspendCommand.class,
      ResumeCommand.class,
      CordonCommand.class,
      UncordonCommand.class,
      DrainCommand.class,
      TopCommand.class,
      DroverCli.CompletionCommand.class
    },
    footer = {
      "",
      "Examples:",
      "  kubectl drover run --on role=web --broadcast --follow -- uptime",
      "  kubectl drover get runs -w",
      "  kubectl drover logs nightly-backup-x7k2p -f",
      "",
      "Exit codes: 0 success, 1 a run failed (--wait, --follow), 2 usage error,"
          + " 3 not found or forbidden."
    })
public final class DroverCli implements Runnable {
  public static final int RUN_FAILED = 1;
  public static final int USAGE = 2;
  public static final int NOT_FOUND_OR_FORBIDDEN = 3;

  @Option(
      names = {"-n", "--namespace"},
      scope = ScopeType.INHERIT,
      description = "Namespace (default: the context's, else default).")
  String namespace;

  @Option(
      names = {"-A", "--all-namespaces"},
      scope = ScopeType.INHERIT,
      description = "Every namespace (get, top).")
  boolean allNamespaces;

  @Option(names = "--context", scope = ScopeType.INHERIT, description = "Kubeconfig context.")
  String context;

  @Option(
      names = "--kubeconfig",
      scope = ScopeType.INHERIT,
      description = "Kubeconfig file (default: KUBECONFIG, else ~/.kube/config).")
  Path kubeconfig;

  @Option(
      names = "--token",
      scope = ScopeType.INHERIT,
      description =
          "Bearer token agents check before serving output (env DROVER_TOKEN; default the"
              + " kubeconfig's token).")
  String token;

  @Spec CommandSpec spec;

  private final Terminal terminal;
  private Session session;

  public DroverCli(Terminal terminal) {
    this.terminal = terminal;
  }

  public static void main(String[] args) {
    System.exit(execute(Terminal.system(), args));
  }

  /** Runs one command line; returns its exit code. */
  public static int execute(Terminal terminal, String... args) {
    DroverCli root = new DroverCli(terminal);
    CommandLine line = new CommandLine(root);
    line.setOut(terminal.out());
    line.setErr(terminal.err());
    line.setParameterExceptionHandler(
        (e, given) -> {
          terminal.err().println("error: " + e.getMessage());
          terminal
              .err()
              .println("See '" + e.getCommandLine().getCommandSpec().qualifiedName() + " -h'.");
          terminal.err().flush();
          return USAGE;
        });
    line.setExecutionExceptionHandler(
        (e, commandLine, parsed) -> {
          terminal.err().println("error: " + message(e));
          int code = exitCode(e);
          if (code == USAGE) {
            terminal
                .err()
                .println("See '" + commandLine.getCommandSpec().qualifiedName() + " -h'.");
          }
          terminal.err().flush();
          return code;
        });
    try {
      return line.execute(args);
    } finally {
      terminal.out().flush();
      terminal.err().flush();
      if (root.session != null) {
        root.session.close();
      }
    }
  }

  private static String message(Exception e) {
    if (e instanceof KubernetesClientException k && k.getStatus() != null) {
      return k.getStatus().getMessage();
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  private static int exitCode(Exception e) {
    if (e instanceof CliException cli) {
      return cli.exitCode();
    }
    if (e instanceof KubernetesClientException k && (k.getCode() == 404 || k.getCode() == 403)) {
      return NOT_FOUND_OR_FORBIDDEN;
    }
    return RUN_FAILED;
  }

  @Override
  public void run() {
    spec.commandLine().usage(terminal.out());
  }

  public Terminal terminal() {
    return terminal;
  }

  /** The connection to the cluster, made on first use with the global options. */
  public Session session() {
    if (session == null) {
      session = Session.open(terminal, kubeconfig, context, namespace, allNamespaces, token);
    }
    return session;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = DroverCli.class.getPackage().getImplementationVersion();
      return new String[] {"kubectl-drover " + (version == null ? "dev" : version)};
    }
  }

  @Command(
      name = "completion",
      description = "Print a shell completion script (bash, or zsh with bashcompinit).",
      footer = {
        "",
        "Examples:",
        "  source <(kubectl drover completion bash)",
        "  kubectl drover completion zsh > \"${fpath[1]}/_kubectl-drover\""
      })
  static final class CompletionCommand implements Runnable {
    @CommandLine.Parameters(
        paramLabel = "SHELL",
        description = "bash or zsh",
        completionCandidates = Shells.class)
    Shell shell;

    @CommandLine.ParentCommand DroverCli root;

    enum Shell {
      bash,
      zsh
    }

    static final class Shells extends java.util.ArrayList<String> {
      Shells() {
        super(java.util.List.of("bash", "zsh"));
      }
    }

    @Override
    public void run() {
      String script = AutoComplete.bash("kubectl-drover", root.spec.commandLine());
      if (shell == Shell.zsh) {
        script = "autoload -U +X bashcompinit && bashcompinit\n" + script;
      }
      root.terminal.out().print(script);
    }
  }
}
