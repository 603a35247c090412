using GanLab.Web.Hosting;
using GanLab.Web.Runs;

var builder = GanLabHosting.CreateGanLabBuilder(args);

builder.Services.AddGanLabOptions();
builder.Services.AddLessons();
builder.Services.AddTraining();
builder.Services.AddGanLabUi();

var app = builder.Build();

app.UseGanLabErrorHandling();
app.UseGanLabStaticFiles();
app.UseBrowserId();
app.MapHealthEndpoint();
app.MapRunExports();
app.MapLoadTestHooks();
app.MapGanLabPages();

app.Run();
