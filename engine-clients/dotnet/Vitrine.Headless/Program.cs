using Vitrine.Headless;

HeadlessOptions options;
try
{
    options = HeadlessOptions.Parse(args);
}
catch (ArgumentException error)
{
    Console.Error.WriteLine(error.Message);
    Console.Error.WriteLine(HeadlessOptions.Usage);
    return 2;
}

RunSummary summary = await HeadlessRun.RunAsync(options, Console.Error);
summary.Print(Console.Out);
return summary.Succeeded ? 0 : 1;
