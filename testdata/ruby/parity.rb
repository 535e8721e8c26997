#!/usr/bin/env ruby
# Bundler's own reading of each Gemfile.lock fixture: writes oracle-<rev>.json beside it.
#
#   ruby testdata/ruby/parity.rb            # rewrite testdata/ruby/*/oracle-*.json
#   ruby testdata/ruby/parity.rb --check    # compare only
#   ruby testdata/ruby/parity.rb DIR...     # print the reading of other folders
#
# Bundler::LockfileParser reads the lockfile offline (no gem server needed); it wants a
# Gemfile to locate the project, so BUNDLE_GEMFILE points at the one beside the lockfile.
# Packages: every spec of a GEM or GIT source, one per (name, version) (platform variants of
# one version are one); PATH specs (the project's own gems) are left out. direct: the names
# under DEPENDENCIES. (Bundler::Source::Git is a subclass of Source::Path: kept.)
require "bundler"
require "json"
require "pathname"

def reading(dir)
  ENV["BUNDLE_GEMFILE"] = File.join(dir, "Gemfile")
  lock = Bundler::LockfileParser.new(File.read(File.join(dir, "Gemfile.lock")))
  packages = lock.specs
    .reject { |s| s.source.is_a?(Bundler::Source::Path) && !s.source.is_a?(Bundler::Source::Git) }
    .map { |s| { "name" => s.name, "version" => s.version.to_s } }
    .uniq.sort_by { |p| [p["name"], p["version"]] }
  {
    "reader" => "Bundler::LockfileParser (bundler #{Bundler::VERSION}, ruby #{RUBY_VERSION})",
    "lockfile" => "Gemfile.lock",
    "packages" => packages,
    "direct" => lock.dependencies.keys.sort,
  }
end

check = ARGV.delete("--check")
unless ARGV.empty?
  ARGV.each { |d| puts JSON.pretty_generate(reading(File.expand_path(d))) }
  exit
end
failed = false
here = Pathname(__dir__)
here.children.select(&:directory?).sort.each do |fixture|
  fixture.children.select { |d| (d / "Gemfile.lock").file? }.sort.each do |rev|
    r = reading(rev.to_s)
    target = fixture / "oracle-#{rev.basename}.json"
    if check
      same = target.file? && JSON.parse(target.read) == r
      failed ||= !same
      puts "#{same ? "same" : "DIFFERENT"} #{target.relative_path_from(here)}"
    else
      target.write(JSON.pretty_generate(r) + "\n")
    end
    puts "#{fixture.basename}/#{rev.basename}: #{r["packages"].size} packages, #{r["direct"].size} direct"
  end
end
exit(failed ? 1 : 0)
