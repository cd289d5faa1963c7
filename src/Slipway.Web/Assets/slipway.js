// Small helpers the components call through JS interop; everything else is server-rendered.
window.slipway = {
    // Loads a plotly.js bundle through Plotly.Blazor's interop module (one module instance per URL, shared with
    // Plotly.Blazor), so the charts find the script element it would have created and are drawn as soon as it has
    // loaded. With traceType, resolves only once window.Plotly draws that trace type: importScript returns at once
    // when the element is already there, loaded or not.
    async loadPlotly(interopUrl, bundleUrl, traceType) {
        const interop = await import(new URL(interopUrl, document.baseURI).href);
        await interop.importScript("plotly-import", bundleUrl);
        if (!traceType) return;
        for (let waited = 0; waited < 30000; waited += 50) {
            const traces = window.Plotly?.PlotSchema?.get?.().traces;
            if (traces && traceType in traces) return;
            await new Promise(resolve => setTimeout(resolve, 50));
        }
        throw new Error(`plotly.js did not load the ${traceType} trace type`);
    },
    // Puts text on the clipboard (the Tokens page's copy button); rejects when the browser does not allow it.
    async copyText(text) {
        await navigator.clipboard.writeText(text);
    },
};
