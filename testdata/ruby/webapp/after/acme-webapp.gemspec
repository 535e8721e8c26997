Gem::Specification.new do |s|
  s.name = "acme-webapp"
  s.version = "0.5.0"
  s.summary = "Acme web app"
  s.authors = ["Acme"]
  s.files = []
  s.add_dependency "rack", ">= 2.2"
end
