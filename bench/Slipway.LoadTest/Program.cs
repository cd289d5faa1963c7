using Slipway.LoadTest;

if (args is ["baseline-server", var port])
    return await BaselineServer.RunAsync(int.Parse(port, System.Globalization.CultureInfo.InvariantCulture));
return await LoadTestApp.RunAsync(args);
