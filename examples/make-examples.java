// Generates the small examples of the text, tabular and time-series families. Deterministic: the
// same files on every machine.
//   java examples/make-examples.java [examples-folder]
//
//   reviews/  text_classification: texts/*.txt (one review each) and labels.csv (filename,label)
//   houses/   tabular_regression: houses.csv (rooms, area, year_built, city, price)
//   sensors/  time_series_classification: activity.csv (sequence_id, timestamp, ax, ay, az, label)
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;

public class MakeExamples {
    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : "examples");
        reviews(root.resolve("reviews"));
        houses(root.resolve("houses"));
        sensors(root.resolve("sensors"));
        System.out.println("wrote reviews/, houses/ and sensors/ to " + root);
    }

    private static final List<String> GOOD = List.of("a wonderful", "a moving", "a clever", "a beautifully shot",
            "a gripping", "a warm");
    private static final List<String> BAD = List.of("a dull", "a confused", "an overlong", "a lifeless", "a clumsy",
            "a forgettable");
    private static final List<String> THINGS = List.of("film", "story", "documentary", "thriller", "comedy", "drama");
    private static final List<String> GOOD_ENDS = List.of("I would watch it again.", "The cast is superb.",
            "It stayed with me for days.", "Worth every minute.");
    private static final List<String> BAD_ENDS = List.of("I checked my watch twice.", "The plot goes nowhere.",
            "Even the music is flat.", "Skip this one.");

    static void reviews(Path dir) throws IOException {
        Random r = new Random(23);
        Path texts = Files.createDirectories(dir.resolve("texts"));
        StringBuilder csv = new StringBuilder("filename,label\n");
        for (int i = 1; i <= 40; i++) {
            boolean positive = i % 2 == 1;
            String text = "This is " + pick(r, positive ? GOOD : BAD) + " " + pick(r, THINGS) + ". "
                    + pick(r, positive ? GOOD_ENDS : BAD_ENDS) + "\n";
            String name = String.format("review_%02d.txt", i);
            Files.writeString(texts.resolve(name), text);
            csv.append(name).append(',').append(positive ? "positive" : "negative").append('\n');
        }
        Files.writeString(dir.resolve("labels.csv"), csv);
    }

    static void houses(Path dir) throws IOException {
        Random r = new Random(200);
        Files.createDirectories(dir);
        List<String> cities = List.of("Oslo", "Bergen", "Trondheim", "Stavanger");
        StringBuilder csv = new StringBuilder("rooms,area,year_built,city,price\n");
        for (int i = 0; i < 200; i++) {
            int rooms = 1 + r.nextInt(6);
            double area = Math.round((20 + rooms * 18 + r.nextDouble() * 30) * 10) / 10.0;
            int year = 1900 + r.nextInt(124);
            String city = pick(r, cities);
            long price = Math.round((area * 42_000 * (city.equals("Oslo") ? 1.4 : 1.0) + (year - 1900) * 900
                    + r.nextGaussian() * 80_000) / 1000) * 1000;
            csv.append(rooms).append(',').append(area).append(',').append(year).append(',').append(city).append(',')
                    .append(price).append('\n');
        }
        Files.writeString(dir.resolve("houses.csv"), csv);
    }

    static void sensors(Path dir) throws IOException {
        Random r = new Random(12);
        Files.createDirectories(dir);
        StringBuilder csv = new StringBuilder("sequence_id,timestamp,ax,ay,az,label\n");
        for (int s = 1; s <= 12; s++) {
            String label = s % 3 == 0 ? "run" : s % 3 == 1 ? "walk" : "sit";
            double amplitude = label.equals("run") ? 2.5 : label.equals("walk") ? 1.0 : 0.05;
            for (int t = 0; t < 20; t++) {
                double phase = t * (label.equals("run") ? 0.9 : 0.45);
                csv.append(String.format(Locale.ROOT, "seq_%02d,%d,%.3f,%.3f,%.3f,%s%n", s, t * 50,
                        amplitude * Math.sin(phase) + r.nextGaussian() * 0.05,
                        amplitude * Math.cos(phase) + r.nextGaussian() * 0.05,
                        9.81 + r.nextGaussian() * 0.05 * amplitude, label));
            }
        }
        Files.writeString(dir.resolve("activity.csv"), csv);
    }

    private static <T> T pick(Random r, List<T> from) {
        return from.get(r.nextInt(from.size()));
    }
}
