package io.resdet.backbone;

import java.util.List;
import java.util.Locale;

/**
 * Class names of the small classification data sets the paper's CIFAR networks are trained on, in label order:
 * CIFAR-10, CIFAR-100 (its fine labels, alphabetical as in the data set's {@code meta} file) and Fashion-MNIST.
 * {@code classify} names the classes of a 10- or 100-class CIFAR network with them.
 */
public final class DatasetLabels {
    public static final List<String> CIFAR10 = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
            "horse", "ship", "truck");

    public static final List<String> CIFAR100 = List.of("apple", "aquarium_fish", "baby", "bear", "beaver", "bed", "bee",
            "beetle", "bicycle", "bottle", "bowl", "boy", "bridge", "bus", "butterfly", "camel", "can", "castle",
            "caterpillar", "cattle", "chair", "chimpanzee", "clock", "cloud", "cockroach", "couch", "crab", "crocodile",
            "cup", "dinosaur", "dolphin", "elephant", "flatfish", "forest", "fox", "girl", "hamster", "house", "kangaroo",
            "keyboard", "lamp", "lawn_mower", "leopard", "lion", "lizard", "lobster", "man", "maple_tree", "motorcycle",
            "mountain", "mouse", "mushroom", "oak_tree", "orange", "orchid", "otter", "palm_tree", "pear", "pickup_truck",
            "pine_tree", "plain", "plate", "poppy", "porcupine", "possum", "rabbit", "raccoon", "ray", "road", "rocket",
            "rose", "sea", "seal", "shark", "shrew", "skunk", "skyscraper", "snail", "snake", "spider", "squirrel",
            "streetcar", "sunflower", "sweet_pepper", "table", "tank", "telephone", "television", "tiger", "tractor",
            "train", "trout", "tulip", "turtle", "wardrobe", "whale", "willow_tree", "wolf", "woman", "worm");

    public static final List<String> FASHION_MNIST = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** The names {@link #named} knows. */
    public static final List<String> KNOWN = List.of("cifar10", "cifar100", "fashion-mnist");

    private DatasetLabels() {}

    /** {@code cifar10}, {@code cifar100} or {@code fashion-mnist} (any case); null for another name. */
    public static List<String> named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "cifar10", "cifar-10" -> CIFAR10;
            case "cifar100", "cifar-100" -> CIFAR100;
            case "fashion-mnist", "fashion_mnist", "fashionmnist" -> FASHION_MNIST;
            default -> null;
        };
    }

    /**
     * The default names of a CIFAR network's classes: CIFAR-10's for 10 outputs (the paper's data set; a
     * Fashion-MNIST network says so with {@code --labels fashion-mnist}), CIFAR-100's for 100, else none.
     */
    public static List<String> defaultFor(int classes) {
        return classes == 10 ? CIFAR10 : classes == 100 ? CIFAR100 : null;
    }
}
