// The data side of the churn walk-through: a synthetic subscription business whose customers churn, with a drift
// knob that moves both the customers (prices rise, more support calls, more month-to-month contracts) and what
// drives churn (price sensitivity grows, discounts start to matter). Run with the .NET 10 SDK, no project needed:
//
//   dotnet run churn.cs -- generate --rows 20000 --drift 0 --seed 1 --out data/train.csv
//   dotnet run churn.cs -- traffic --url http://127.0.0.1:5000 --endpoint churn --requests 2000 --drift 0
//
// `generate` writes a CSV with a `churned` label (0/1). `traffic` sends the same kind of rows, without the label, to
// an endpoint's Open Inference Protocol route (`POST /v2/models/{endpoint}/infer`), one tensor per column.
#:property PublishAot=false

using System.Globalization;
using System.Net.Http.Json;
using System.Text;

return await Program.MainAsync(args);

static partial class Program
{
    public static async Task<int> MainAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
            return Usage();
        var options = Options.Parse(args.AsSpan(1));
        if (options is null)
            return Usage();
        try
        {
            return args[0] switch
            {
                "generate" => Generate(options),
                "traffic" => await TrafficAsync(options),
                _ => Usage(),
            };
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"churn: {e.Message}");
            return 2;
        }
    }

    private static int Usage()
    {
        Console.Error.WriteLine("""
            usage:
              churn generate --out FILE [--rows N=20000] [--drift D=0] [--seed S=1]
              churn traffic --url URL --endpoint NAME [--requests N=1000] [--batch B=8] [--concurrency C=4]
                            [--drift D=0] [--seed S=2] [--duration SECONDS]   (duration: keep sending until it passes)
            The drift D goes from 0 (the world the first model was trained on) to 1 (a changed market).
            """);
        return 2;
    }

    private static int Generate(Options options)
    {
        var path = options.Required("out");
        var rows = options.Integer("rows", 20_000);
        var world = new World(options.Number("drift", 0), options.Integer("seed", 1));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        writer.WriteLine(string.Join(',', Customer.Columns) + ",churned");
        var churned = 0;
        for (var i = 0; i < rows; i++)
        {
            var customer = world.NextCustomer();
            var label = world.Churns(customer) ? 1 : 0;
            churned += label;
            writer.WriteLine(customer.ToCsv() + "," + label.ToString(CultureInfo.InvariantCulture));
        }
        Console.WriteLine($"wrote {rows:N0} customers to {path} (drift {world.Drift:0.##}, churn rate {(double)churned / rows:P1})");
        return 0;
    }

    private static async Task<int> TrafficAsync(Options options)
    {
        var url = new Uri(options.Required("url").TrimEnd('/') + "/");
        var endpoint = options.Required("endpoint");
        var requests = options.Integer("requests", 1000);
        var batch = options.Integer("batch", 8);
        var concurrency = options.Integer("concurrency", 4);
        var duration = options.Number("duration", 0);
        var drift = options.Number("drift", 0);
        var seed = options.Integer("seed", 2);
        var deadline = duration > 0 ? DateTime.UtcNow.AddSeconds(duration) : DateTime.MaxValue;

        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
        var sent = 0;
        var failed = 0;
        var refused = 0;
        var workers = Enumerable.Range(0, concurrency).Select(async worker =>
        {
            var world = new World(drift, seed * 1000 + worker);
            while (true)
            {
                var n = Interlocked.Increment(ref sent);
                if (duration > 0 ? DateTime.UtcNow >= deadline : n > requests)
                    return;
                var customers = Enumerable.Range(0, batch).Select(_ => world.NextCustomer()).ToArray();
                try
                {
                    using var response = await http.PostAsJsonAsync($"v2/models/{Uri.EscapeDataString(endpoint)}/infer", Customer.ToInferenceRequest(customers));
                    if (!response.IsSuccessStatusCode)
                        Interlocked.Increment(ref failed);
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failed);
                    // The server went away: back off, and give up once it stays away.
                    if (Interlocked.Increment(ref refused) > 50)
                        return;
                    await Task.Delay(200);
                    continue;
                }
                Interlocked.Exchange(ref refused, 0);
            }
        });
        await Task.WhenAll(workers);
        var total = duration > 0 ? sent - concurrency : requests;
        Console.WriteLine($"sent {total:N0} requests of {batch} rows to {endpoint} (drift {drift:0.##}), {failed} failed");
        return 0;
    }
}

/// <summary>One subscriber, as the CRM exports it.</summary>
sealed record Customer(
    double TenureMonths, double MonthlyCharges, string Contract, string Internet, string Payment,
    double SupportCalls, double Products, double Age, double Discount)
{
    public static readonly string[] Columns =
        ["tenure_months", "monthly_charges", "contract", "internet", "payment", "support_calls", "products", "age", "discount"];

    public string ToCsv() => string.Join(',',
        Format(TenureMonths), Format(MonthlyCharges), Contract, Internet, Payment,
        Format(SupportCalls), Format(Products), Format(Age), Format(Discount));

    /// <summary>An OIP request with one tensor per column, the way a trained Slipway model takes its inputs.</summary>
    public static object ToInferenceRequest(IReadOnlyList<Customer> customers)
    {
        object Numbers(string name, Func<Customer, double> value) =>
            new { name, shape = new[] { customers.Count }, datatype = "FP32", data = customers.Select(c => (float)value(c)).ToArray() };
        object Strings(string name, Func<Customer, string> value) =>
            new { name, shape = new[] { customers.Count }, datatype = "BYTES", data = customers.Select(value).ToArray() };
        return new
        {
            inputs = new[]
            {
                Numbers("tenure_months", c => c.TenureMonths),
                Numbers("monthly_charges", c => c.MonthlyCharges),
                Strings("contract", c => c.Contract),
                Strings("internet", c => c.Internet),
                Strings("payment", c => c.Payment),
                Numbers("support_calls", c => c.SupportCalls),
                Numbers("products", c => c.Products),
                Numbers("age", c => c.Age),
                Numbers("discount", c => c.Discount),
            },
        };
    }

    private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}

/// <summary>The market: how customers look and why they leave, both moved by <see cref="Drift"/> (0 to 1).</summary>
sealed class World(double drift, int seed)
{
    private readonly Random _random = new(seed);

    public double Drift { get; } = Math.Clamp(drift, 0, 1);

    public Customer NextCustomer()
    {
        var d = Drift;
        var contract = Pick(("month_to_month", 0.45 + 0.25 * d), ("one_year", 0.30 - 0.10 * d), ("two_year", 0.25 - 0.15 * d));
        var internet = Pick(("fiber", 0.40 + 0.25 * d), ("dsl", 0.40 - 0.15 * d), ("none", 0.20 - 0.10 * d));
        var payment = Pick(("card", 0.40 + 0.15 * d), ("bank", 0.35 - 0.20 * d), ("check", 0.25 + 0.05 * d));
        // A wave of new, younger customers: shorter tenure, fewer products, more of them on a discount.
        var tenure = Math.Clamp(Math.Round(-24 * (1 - 0.5 * d) * Math.Log(1 - _random.NextDouble()) * (contract == "two_year" ? 1.6 : 1.0)) + 1, 1, 72);
        var basePrice = internet switch { "fiber" => 85.0, "dsl" => 55.0, _ => 25.0 };
        var charges = Math.Max(18, basePrice + 30 * d + Normal() * 12);
        var calls = Poisson(1.2 + 2.5 * d);
        var products = 1 + Poisson(0.8 - 0.4 * d);
        var age = Math.Clamp(Math.Round(45 - 10 * d + Normal() * 14), 18, 90);
        var discount = _random.NextDouble() < 0.3 + 0.3 * d ? Math.Round(_random.NextDouble() * 0.3, 2) : 0;
        return new Customer(tenure, Math.Round(charges, 2), contract, internet, payment, calls, products, age, discount);
    }

    /// <summary>Draws the churn label; drift makes price and support matter more and discounts start to hold people.</summary>
    public bool Churns(Customer c)
    {
        var d = Drift;
        var logit = -0.6 - 3.2 * d
            - 0.045 * c.TenureMonths
            + (0.02 + 0.05 * d) * (c.MonthlyCharges - 65)
            + c.Contract switch { "month_to_month" => 1.1, "one_year" => 0.0, _ => -1.3 }
            + (c.Internet == "fiber" ? 0.35 - 0.9 * d : 0)
            + (0.30 + 0.35 * d) * c.SupportCalls
            + (c.Payment == "check" ? 0.45 : 0)
            - 0.25 * (c.Products - 1)
            - (0.5 + 10 * d) * c.Discount
            - (0.004 + 0.03 * d) * (c.Age - 45);
        return _random.NextDouble() < 1 / (1 + Math.Exp(-logit));
    }

    private string Pick(params (string Value, double Weight)[] choices)
    {
        var total = choices.Sum(c => c.Weight);
        var draw = _random.NextDouble() * total;
        foreach (var (value, weight) in choices)
        {
            draw -= weight;
            if (draw < 0)
                return value;
        }
        return choices[^1].Value;
    }

    private double Normal() =>
        Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());

    private double Poisson(double mean)
    {
        var limit = Math.Exp(-mean);
        var k = 0;
        for (var p = _random.NextDouble(); p > limit; p *= _random.NextDouble())
            k++;
        return k;
    }
}

/// <summary>`--name value` pairs.</summary>
sealed class Options
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public static Options? Parse(ReadOnlySpan<string> args)
    {
        var options = new Options();
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                return null;
            options._values[args[i][2..]] = args[i + 1];
        }
        return options;
    }

    public string Required(string name) =>
        _values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required");

    public int Integer(string name, int @default) =>
        !_values.TryGetValue(name, out var text) ? @default
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value
        : throw new ArgumentException($"--{name} must be a positive whole number, not '{text}'");

    public double Number(string name, double @default) =>
        !_values.TryGetValue(name, out var text) ? @default
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 ? value
        : throw new ArgumentException($"--{name} must be a number ≥ 0, not '{text}'");
}
