using Slipway.LoadTest;

return await LoadTestApp.RunAsync(args);
