using GanLab.Cli;

// ganlab-cli: the command-line side of GanLab (benchmarks and headless training).
return Commands.Run(args);
