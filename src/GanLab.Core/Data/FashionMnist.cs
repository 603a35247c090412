namespace GanLab.Core.Data;

/// <summary>
/// Fashion-MNIST (Zalando: 70,000 28×28 greyscale clothes in 10 classes) from Debian's package
/// `dataset-fashion-mnist`, which puts the four IDX .gz files in /usr/share/datasets/fashion-mnist/.
/// </summary>
public static class FashionMnist
{
    public const string Package = "dataset-fashion-mnist";
    public const string DebianFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>The class names, by label.</summary>
    public static readonly string[] Classes =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    public static ImageDataset Load(string folder = DebianFolder) => IdxImageSet.Load("fashion-mnist", folder,
        $"They come with the Debian package `{Package}`: run `./ganlab serve`, which installs it, or `sudo apt-get install {Package}`.");
}
