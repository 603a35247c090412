using GanLab.Web.Hosting;

var builder = GanLabHosting.CreateGanLabBuilder(args);

builder.Services.AddGanLabOptions();
builder.Services.AddLessons();
builder.Services.AddTraining();
builder.Services.AddGanLabUi();

var app = builder.Build();

app.UseGanLabErrorHandling();
app.UseGanLabStaticFiles();
app.MapHealthEndpoint();
app.MapGanLabPages();

app.Run();
