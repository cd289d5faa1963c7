using Slipway.LoadTest;

if (args is ["baseline-server", var port])
    return await BaselineServer.RunAsync(int.Parse(port, System.Globalization.CultureInfo.InvariantCulture));
if (args is ["scale-out", .. var scaleOutArgs])
    return await Slipway.LoadTest.ScaleOut.ScaleOutApp.RunAsync(scaleOutArgs);
return await LoadTestApp.RunAsync(args);
